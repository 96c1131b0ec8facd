/**
 * The webview's HTML: a static skeleton, the stylesheet and the script, under a CSP that allows
 * only our own resources and the one nonce'd script. No data goes into the page; the script asks
 * for the state with its first message.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function chatHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(18).toString('base64');
  const media = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', file)).toString();
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${webview.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${media('chat.css')}">
<title>Ferret</title>
</head>
<body>
<header id="header">
  <span id="health" class="health" role="status"></span>
  <span id="answered-by" class="answered-by" hidden></span>
</header>
<div id="banners"></div>
<div class="scroll-area">
  <main id="scroller" tabindex="-1">
    <section id="empty" hidden aria-labelledby="empty-title">
      <h2 id="empty-title">Ask about this workspace</h2>
      <p>Ferret searches the code in your workspace and answers with numbered sources you can open.</p>
      <p>Try one of these, or select code and run <strong>Ferret: Ask About Selection</strong>:</p>
      <ul id="examples" class="examples"></ul>
    </section>
    <div id="conversation" aria-label="Conversation"></div>
  </main>
  <button id="jump" type="button" class="secondary" hidden>Jump to latest ↓</button>
</div>
<form id="composer">
  <textarea id="question" rows="3" aria-label="Question" placeholder="Ask about this workspace (Enter to send, Shift+Enter for a new line, Escape to stop)"></textarea>
  <div class="composer-actions">
    <button id="send" type="submit">Send</button>
    <button id="stop" type="button" class="secondary" disabled>Stop</button>
    <button id="clear" type="button" class="secondary">New conversation</button>
  </div>
</form>
<script nonce="${nonce}" src="${media('chat.js')}"></script>
</body>
</html>`;
}
