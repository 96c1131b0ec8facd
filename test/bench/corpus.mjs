// The benchmark corpus: the JavaScript and TypeScript sources of this project's own
// node_modules, copied into a folder the daemon will index. Folder names the daemon leaves out
// by default (node_modules, dist, build, …) are renamed on the way, so the corpus is real
// library code that is all eligible for indexing.
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { builtinDirectoryReason, hardDirectoryReason } from '../../server/src/watch/builtinRules.ts';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
const SOURCE_EXTENSIONS = ['.js', '.ts', '.mjs', '.cjs', '.mts', '.cts'];
const MAX_FILE_BYTES = 1024 * 1024;

function isSource(name) {
  return SOURCE_EXTENSIONS.some((ext) => name.endsWith(ext)) && !name.endsWith('.min.js');
}

/** `node_modules/a/node_modules/b/dist/x.js` → `a/deps/b/dist_/x.js`. */
function corpusPath(relPath) {
  return relPath
    .split(sep)
    .slice(1)
    .map((segment, i, all) => {
      if (i === all.length - 1) return segment;
      if (segment === 'node_modules') return 'deps';
      return builtinDirectoryReason(segment) || hardDirectoryReason(segment) ? `${segment}_` : segment;
    })
    .join('/');
}

/** Source files under node_modules, sorted so every run sees the same corpus. */
export function listSources() {
  const root = join(REPO_ROOT, 'node_modules');
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.bin' && entry.name !== '.cache') walk(path);
      } else if (entry.isFile() && isSource(entry.name)) {
        const size = statSync(path).size;
        if (size > 0 && size <= MAX_FILE_BYTES) found.push({ source: path, path: corpusPath(relative(REPO_ROOT, path)), size });
      }
    }
  };
  walk(root);
  return found;
}

/**
 * Copies the sources into `dest` (emptied first). Copies, not hard links: the benchmarks write
 * into corpus files and must never touch node_modules. Returns the files and their total size.
 */
export function buildCorpus(dest) {
  rmSync(dest, { recursive: true, force: true });
  const files = listSources();
  for (const file of files) {
    const target = join(dest, file.path);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file.source, target);
  }
  return { files, bytes: files.reduce((sum, file) => sum + file.size, 0) };
}
