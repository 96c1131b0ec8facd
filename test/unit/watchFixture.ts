import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** '/'-separated relative path → file content. */
export type Tree = Record<string, string | Buffer>;

/** Creates a fresh folder in the OS temp dir holding `tree`; returns its absolute path. */
export async function makeTree(tree: Tree): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ferret-watch-'));
  await writeTree(root, tree);
  return root;
}

export async function writeTree(root: string, tree: Tree): Promise<void> {
  for (const [path, content] of Object.entries(tree)) {
    const absolute = join(root, ...path.split('/'));
    await mkdir(dirname(absolute), { recursive: true });
    await writeFile(absolute, content);
  }
}

export async function removeTree(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true });
}
