/**
 * The example questions of the empty chat view, derived from the workspace: its defined symbols,
 * its folders and its README's headings. Pure and deterministic (same inputs, same questions),
 * tested without VS Code; exampleSources.ts gathers the inputs.
 */

export interface ExampleInputs {
  /** Symbols the index found for a broad query, best first; empty while the index is not ready. */
  symbols: readonly string[];
  /** Workspace-relative folders, in the order they should be suggested. */
  folders: readonly string[];
  /** Section headings of the README, in document order. */
  headings: readonly string[];
}

export const exampleCount = 3;

/** Used only when the workspace offers nothing to build from (an empty folder, no README, no index yet). */
export const fallbackExamples: readonly string[] = [
  'What happens when the program starts?',
  'Where is the configuration loaded?',
  'How are errors reported to the user?',
];

/** Folders that hold no code of the project's own. */
const ignoredFolders = new Set(['node_modules', 'dist', 'out', 'build', 'target', 'vendor', 'coverage', '__pycache__', 'venv', 'bin', 'obj']);
/** Folders whose subfolders say more than their own name. */
const containerFolders = new Set(['src', 'lib', 'app', 'packages', 'pkg', 'internal']);
/** README sections every project has that say nothing about its code. */
const genericHeadings = /^(licen[cs]e|contribut|install|table of contents|contents|changelog|credits|authors|acknowledg|support|faq|badges?|requirements|getting started)/i;

/** Kinds of range whose symbol is a name in the code (a README section's heading is not). */
const codeKinds = new Set(['function', 'method', 'class', 'interface', 'type', 'enum']);

/** The code symbols of search hits, best first, once each; a range naming several units gives its first. */
export function exampleSymbols(hits: readonly { symbol: string; kind: string }[]): string[] {
  const names = hits.filter((h) => codeKinds.has(h.kind)).map((h) => h.symbol.split(',')[0]?.trim() ?? '');
  return [...new Set(names.filter((n) => n !== ''))];
}

/** `## Heading` lines (levels 2–3) outside fenced code, stripped of inline Markdown. */
export function readmeHeadings(markdown: string): string[] {
  const headings: string[] = [];
  let fenced = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const m = fenced ? null : /^#{2,3}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!m?.[1]) continue;
    const text = m[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*_]/g, '').trim();
    if (text.length >= 3 && text.length <= 60 && !genericHeadings.test(text)) headings.push(text);
  }
  return headings;
}

/**
 * Folders worth asking about: top-level ones minus hidden and build output, with container folders
 * such as `src` replaced by their subfolders. `children` lists a folder's subfolders.
 */
export function exampleFolders(topLevel: readonly string[], children: (folder: string) => readonly string[]): string[] {
  const folders: string[] = [];
  for (const name of [...topLevel].sort()) {
    if (name.startsWith('.') || ignoredFolders.has(name)) continue;
    const inner = containerFolders.has(name) ? children(name).filter((c) => !c.startsWith('.')).sort() : [];
    if (inner.length > 0) folders.push(...inner.map((c) => `${name}/${c}`));
    else folders.push(name);
  }
  return folders;
}

const ask = {
  symbol: (s: string) => `What does ${s} do, and where is it used?`,
  folder: (f: string) => `What is the ${f} folder responsible for?`,
  heading: (h: string) => `Where in the code is "${h}" handled?`,
};

/** Up to three questions, one of each kind in turn (symbol, folder, heading), then the fallbacks. */
export function deriveExamples(inputs: ExampleInputs): string[] {
  const symbols = [...new Set(inputs.symbols.filter((s) => /^[\w$.:#]{3,60}$/.test(s)))].map(ask.symbol);
  const folders = inputs.folders.map(ask.folder);
  const headings = inputs.headings.map(ask.heading);
  const out: string[] = [];
  for (let i = 0; out.length < exampleCount && i < Math.max(symbols.length, folders.length, headings.length); i++) {
    for (const list of [symbols, folders, headings]) {
      const q = list[i];
      if (q !== undefined && out.length < exampleCount) out.push(q);
    }
  }
  for (const q of fallbackExamples) if (out.length < exampleCount) out.push(q);
  return out;
}
