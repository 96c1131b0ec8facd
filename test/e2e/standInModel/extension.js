// A language model for VS Code's chat in the e2e profile. The chat refuses to send any request,
// even one for an extension's own participant such as @ferret, unless a model is selected, and
// without a Copilot sign-in there is none. This one stands in: it is never meant to be asked, and
// it counts the requests it gets so the test can show @ferret answered without it.
const vscode = require('vscode');

let requests = 0;

exports.activate = (context) => {
  context.subscriptions.push(
    vscode.lm.registerLanguageModelChatProvider('ferret-stand-in', {
      provideLanguageModelChatInformation: () => [
        { id: 'stand-in', name: 'Stand-in', family: 'stand-in', version: '1', maxInputTokens: 8192, maxOutputTokens: 1024, isUserSelectable: true, capabilities: { toolCalling: true } },
      ],
      provideLanguageModelChatResponse: async (_model, _messages, _options, progress) => {
        requests += 1;
        progress.report(new vscode.LanguageModelTextPart('The stand-in model was asked; Ferret should have answered instead.'));
      },
      provideTokenCount: async (_model, text) => Math.ceil(String(typeof text === 'string' ? text : JSON.stringify(text)).length / 4),
    }),
    vscode.commands.registerCommand('standInModel.requests', () => {
      void vscode.window.showInformationMessage(`Stand-in model requests: ${requests}`);
      return requests;
    }),
  );
  // The workbench lists a vendor's models only once they have been asked for; ask now, so the
  // chat's model picker offers the stand-in from the start.
  void vscode.lm.selectChatModels({ vendor: 'ferret-stand-in' });
};
