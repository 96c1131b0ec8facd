/**
 * Gathers what the example questions are built from: the first workspace folder's top-level
 * folders and README headings (read from disk, cheap), and a few symbols the index returns for a
 * broad query once it is ready. Any part that fails is left out; deriveExamples fills the rest.
 */
import * as vscode from 'vscode';
import type { DaemonApi } from '../daemon/daemonApi';
import { deriveExamples, exampleFolders, exampleSymbols, readmeHeadings, type ExampleInputs } from './examples';

/** Enough of a README for its headings; a huge one is not read whole. */
const maxReadmeBytes = 64 * 1024;
/** A query that tends to find the code a project is organised around. */
const symbolQuery = 'main entry point handler service';

export async function workspaceExamples(daemon: DaemonApi): Promise<string[]> {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  if (!folder) return deriveExamples({ symbols: [], folders: [], headings: [] });
  const [layout, symbols] = await Promise.all([folderLayout(folder.uri), indexedSymbols(daemon)]);
  return deriveExamples({ ...layout, symbols });
}

async function listDir(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
  try {
    return await vscode.workspace.fs.readDirectory(uri);
  } catch {
    return [];
  }
}

async function folderLayout(root: vscode.Uri): Promise<Omit<ExampleInputs, 'symbols'>> {
  const entries = await listDir(root);
  const dirs = entries.filter(([, type]) => type === vscode.FileType.Directory).map(([name]) => name);
  const subdirs = new Map<string, string[]>();
  await Promise.all(dirs.map(async (d) => {
    const inner = await listDir(vscode.Uri.joinPath(root, d));
    subdirs.set(d, inner.filter(([, type]) => type === vscode.FileType.Directory).map(([name]) => name));
  }));
  const readme = entries.find(([name, type]) => type === vscode.FileType.File && /^readme\.md$/i.test(name))?.[0];
  let headings: string[] = [];
  if (readme) {
    try {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root, readme));
      headings = readmeHeadings(new TextDecoder().decode(bytes.subarray(0, maxReadmeBytes)));
    } catch {
      // An unreadable README only means no heading-based examples.
    }
  }
  return { folders: exampleFolders(dirs, (d) => subdirs.get(d) ?? []), headings };
}

/** Symbols of the best hits, only when the index is complete (a half-built one would change them from run to run). */
async function indexedSymbols(daemon: DaemonApi): Promise<string[]> {
  if (daemon.state !== 'running' || !daemon.lastStatus()?.ready) return [];
  try {
    const result = await daemon.search({ query: symbolQuery, k: 10 });
    return exampleSymbols(result.results);
  } catch {
    return [];
  }
}
