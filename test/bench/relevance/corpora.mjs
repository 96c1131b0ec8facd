// The four corpora of the relevance bench, from sources this machine can install: the Python
// standard library that ships with python3, Go's and Rust's standard libraries from Debian's
// golang-src and rust-src (installed here when missing and we are root), and the JavaScript and
// TypeScript sources in this project's node_modules. Each is copied into its own workspace, folder
// names the daemon leaves out by default renamed on the way, so every copied file is indexable.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { builtinDirectoryReason, hardDirectoryReason } from '../../../server/src/watch/builtinRules.ts';
import { listSources } from '../corpus.mjs';

const MAX_FILE_BYTES = 1024 * 1024;

/** Debian packages that bring a language's sources, and where they land. */
const DEBIAN = {
  go: { packages: ['golang-src'], root: () => globFirst('/usr/share', /^go-1\.\d+$/, 'src') },
  rust: { packages: ['rust-src'], root: () => existing('/usr/lib/rustlib/src/rust/library') },
};

export const LANGUAGES = ['python', 'typescript', 'go', 'rust'];

function existing(path) {
  return existsSync(path) ? path : undefined;
}

function globFirst(parent, pattern, child) {
  if (!existsSync(parent)) return undefined;
  const match = readdirSync(parent).filter((name) => pattern.test(name)).sort().pop();
  return match ? existing(join(parent, match, child)) : undefined;
}

/** The folder holding a language's sources, installing its Debian package when it is missing. */
function sourceRoot(language) {
  if (language === 'python') {
    return execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
  }
  const debian = DEBIAN[language];
  let root = debian.root();
  if (!root) {
    if (process.getuid?.() !== 0) throw new Error(`The ${language} corpus needs Debian's ${debian.packages.join(', ')}: run apt-get install ${debian.packages.join(' ')} as root.`);
    process.stderr.write(`Installing ${debian.packages.join(', ')} for the ${language} corpus …\n`);
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', '-qq', ...debian.packages], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    root = debian.root();
    if (!root) throw new Error(`Installed ${debian.packages.join(', ')} but found no ${language} sources.`);
  }
  return root;
}

/** Folders of a source tree the bench leaves out: not the language's library code, or not code at all. */
const LEFT_OUT = {
  python: new Set(['site-packages', '__pycache__', 'idlelib', 'lib2to3', 'ensurepip', 'config-3.11-x86_64-linux-gnu']),
  go: new Set(['testdata', 'vendor', 'cmd']),
  rust: new Set(['tests', 'benches']),
};
const EXTENSIONS = { python: ['.py'], go: ['.go'], rust: ['.rs'] };

/** `a/build/x.go` → `a/build_/x.go`: the daemon skips some folder names by default, the bench wants their code. */
function indexablePath(rel) {
  const segments = rel.split(sep);
  return segments.map((segment, i) => (i < segments.length - 1 && (builtinDirectoryReason(segment) || hardDirectoryReason(segment)) ? `${segment}_` : segment)).join('/');
}

/** Source files of one language, sorted: `{ source, path, size }`, `path` as it will be in the corpus. */
export function languageSources(language) {
  if (language === 'typescript') return listSources();
  const root = sourceRoot(language);
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!LEFT_OUT[language].has(entry.name) && !entry.name.startsWith('.')) walk(path);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && EXTENSIONS[language].some((ext) => entry.name.endsWith(ext))) {
        const size = statSync(path).size;
        if (size > 0 && size <= MAX_FILE_BYTES) found.push({ source: path, path: indexablePath(relative(root, path)), size });
      }
    }
  };
  walk(root);
  return found;
}
