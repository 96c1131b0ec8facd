import * as vscode from 'vscode';
import type { Citation } from '../../../server/src/shared/protocol';
import type { CitationSink } from './citationSink';
import { findInWorkspace } from './workspacePath';
import { hitLocation, isInsideWorkspace } from './locations';
import { applyEdits } from './rangeTracking';

interface Tracked {
  citation: Citation;
  uri: vscode.Uri;
  /** Current range in the document; clamped to real line ends once the document is seen. */
  range: vscode.Range;
}

/** Command the lens runs: the chat view's generated focus command, so the lens leads back to the answer. */
const FOCUS_ANSWER = 'ferret.chat.focus';
const MAX_QUESTION_IN_LENS = 60;

/**
 * The latest answer's citations in the editor: a CodeLens and a light highlight on each cited
 * range, in open editors and ones opened later, moved along as the user edits.
 */
export class EditorCitations implements CitationSink, vscode.CodeLensProvider, vscode.Disposable {
  private question = '';
  private tracked: Tracked[] = [];
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.findMatchForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
    isWholeLine: true,
  });
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.languages.registerCodeLensProvider({ scheme: 'file' }, this),
      vscode.workspace.onDidChangeTextDocument((event) => this.follow(event)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.decorate()),
      this.decoration,
      this.lensesChanged,
    ];
  }

  show(question: string, citations: Citation[]): void {
    this.question = question;
    this.tracked = citations.filter(isInsideWorkspace).map((citation) => ({ citation, ...hitLocation(citation) }));
    this.changed();
  }

  clear(): void {
    this.question = '';
    this.tracked = [];
    this.changed();
  }

  async reveal(citation: Citation): Promise<void> {
    // Lexically inside is not enough: a link in the workspace may lead out of it.
    if (!isInsideWorkspace(citation) || !(await findInWorkspace([citation.folder], citation.path))) {
      void vscode.window.showWarningMessage(`Ferret did not open ${citation.path}: it is outside the workspace folders.`);
      return;
    }
    const current = this.tracked.find((t) => t.citation.n === citation.n && t.citation.path === citation.path);
    const { uri, range } = current ?? hitLocation(citation);
    const document = await vscode.workspace.openTextDocument(uri);
    const exact = document.validateRange(range);
    const editor = await vscode.window.showTextDocument(document, { selection: new vscode.Selection(exact.start, exact.end), preview: false });
    editor.revealRange(exact, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const question = this.question.length > MAX_QUESTION_IN_LENS ? `${this.question.slice(0, MAX_QUESTION_IN_LENS - 1)}…` : this.question;
    return this.inDocument(document).map(
      (t) =>
        new vscode.CodeLens(new vscode.Range(t.range.start, t.range.start), {
          title: `Ferret [${t.citation.n}] · cited for "${question}"`,
          tooltip: t.citation.symbol ? `${t.citation.symbol} — show the answer` : 'Show the answer',
          command: FOCUS_ANSWER,
        }),
    );
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
  }

  /** Citations in this document, with their ranges clamped to its real line ends. */
  private inDocument(document: vscode.TextDocument): Tracked[] {
    const key = document.uri.toString();
    const here = this.tracked.filter((t) => t.uri.toString() === key);
    for (const t of here) t.range = document.validateRange(t.range);
    return here;
  }

  /** Moves ranges with the user's edits; a citation whose text was deleted goes away. */
  private follow(event: vscode.TextDocumentChangeEvent): void {
    if (event.contentChanges.length === 0) return;
    const key = event.document.uri.toString();
    let touched = false;
    this.tracked = this.tracked.flatMap((t) => {
      if (t.uri.toString() !== key) return [t];
      const span = applyEdits(event.document.validateRange(t.range), event.contentChanges);
      touched = true;
      return span ? [{ ...t, range: new vscode.Range(span.start.line, span.start.character, span.end.line, span.end.character) }] : [];
    });
    if (touched) this.changed();
  }

  private changed(): void {
    this.lensesChanged.fire();
    this.decorate();
  }

  private decorate(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      editor.setDecorations(this.decoration, this.inDocument(editor.document).map((t) => t.range));
    }
  }
}
