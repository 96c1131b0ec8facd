import { promises as fs } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SETTINGS } from '../shared/settingsSchema';
import { decodeSource } from '../watch/contentSniffer';
import { IgnoreRules } from '../watch/ignoreRules';

/** Why a file is not served: `refused` (outside the workspace, left out of the index) or `missing`. */
export class FileAccessError extends Error {
  constructor(
    message: string,
    readonly reason: 'refused' | 'missing',
  ) {
    super(message);
    this.name = 'FileAccessError';
  }
}

/**
 * Files of one workspace folder, served by `file://` URI under the rules the index follows:
 * only inside the folder (symbolic links included), never what the ignore rules leave out
 * (secrets such as `.env` above all), only text the index would read.
 */
export class WorkspaceFiles {
  private constructor(
    readonly root: string,
    private readonly realRoot: string,
  ) {}

  static async open(root: string): Promise<WorkspaceFiles> {
    return new WorkspaceFiles(root, await fs.realpath(root));
  }

  /** The `file://` URI of a workspace-relative path. */
  uriOf(relPath: string): string {
    return pathToFileURL(join(this.root, relPath)).href;
  }

  /** The text of the file at `uri`; throws {@link FileAccessError} with one sentence otherwise. */
  async read(uri: string): Promise<{ relPath: string; text: string }> {
    let path: string;
    try {
      path = fileURLToPath(uri);
    } catch {
      throw new FileAccessError(`${uri} is not a file:// URI of a local file.`, 'refused');
    }
    // The client may name a file through the workspace path as given or as resolved on disk.
    const named = inside(this.root, path) ?? inside(this.realRoot, path);
    if (named === undefined) throw new FileAccessError(`${path} is outside the workspace ${this.root}; only its files are served.`, 'refused');
    const real = await fs.realpath(path).catch(() => undefined);
    if (real === undefined) throw new FileAccessError(`There is no file ${named} in the workspace.`, 'missing');
    const relPath = inside(this.realRoot, real);
    if (relPath === undefined) throw new FileAccessError(`${named} leads outside the workspace through a symbolic link; it is not served.`, 'refused');
    // Ignore rules are read afresh: a .gitignore may have changed since the last read.
    const rules = await IgnoreRules.load(this.root, { exclude: [] });
    for (const rel of new Set([named, relPath])) {
      const reason = rules.check(rel, false);
      if (reason === 'secret') throw new FileAccessError(`${named} is a secret file (such as .env or a key); Ferret never indexes or serves it.`, 'refused');
      if (reason !== undefined) throw new FileAccessError(`${named} is left out of the index (${reason}), so it is not served.`, 'refused');
    }
    const stat = await fs.stat(real);
    if (!stat.isFile()) throw new FileAccessError(`${named} is not a file.`, 'refused');
    // The MCP server sends its daemon no maxFileSize, so the daemon indexes up to the default.
    const maxFileSize = SETTINGS.maxFileSize.default;
    if (stat.size > maxFileSize) throw new FileAccessError(`${named} is larger than ${maxFileSize} bytes, so it is not indexed or served.`, 'refused');
    const decoded = decodeSource(await fs.readFile(real), relPath);
    if ('skip' in decoded) throw new FileAccessError(`${named} is not source text (${decoded.skip}), so it is not served.`, 'refused');
    return { relPath: named, text: decoded.text };
  }
}

/** `path` relative to `root` with `/` separators, or undefined when it is not inside (or is) root. */
function inside(root: string, path: string): string | undefined {
  const rel = relative(root, path);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}
