import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';

/**
 * Writes a file so that a reader (or a restart after a crash) sees either the old or the
 * new content, never a torn one: write a sibling, flush it, rename over.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await fs.open(temp, 'w');
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
  } catch (error) {
    // On a full disk a half-written sibling would hold on to the space that is missing.
    await fs.rm(temp, { force: true });
    throw error;
  }
}

/** Reads a JSON file; undefined when it does not exist. Throws on unreadable or malformed content. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return JSON.parse(text) as unknown;
}
