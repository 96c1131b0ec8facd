import type { SkipReason } from '../shared/protocol';

/**
 * Rules that apply before any .gitignore is read, judged by a file or folder name alone.
 *
 * Two strengths:
 * - hard rules (version-control folders, secrets) can never be re-included, because indexing them
 *   would either be meaningless or leak credentials into an index and into prompts;
 * - built-in defaults (dependency and build folders, lock files, minified bundles, binary extensions)
 *   sit below every user rule, so a negation such as `!vendor/` in a .ferretignore re-includes them.
 */

/** Files whose rules are read per folder; the later one has the higher precedence. */
export const RULES_FILE_NAMES: readonly string[] = ['.gitignore', '.ferretignore'];

const VCS_DIRS = new Set(['.git', '.hg', '.svn', '.bzr', '_darcs']);

/** Folders that only hold keys; pruned as a whole. */
const SECRET_DIRS = new Set(['.ssh', '.gnupg', '.aws']);

/**
 * Dependency, cache and build-output folders. `vendor` is in: in Go, PHP and Ruby it holds
 * third-party code that would drown the project's own code; a project that keeps its own code
 * there re-includes it with `!vendor/` in a .ferretignore. `bin` and `obj` are out: too often
 * hand-written scripts.
 */
const BUILTIN_DIRS = new Set([
  'node_modules', 'bower_components', 'jspm_packages', 'vendor', '.pnpm-store', '.yarn',
  'dist', 'build', 'out', 'target', '.next', '.nuxt', '.svelte-kit', '.output', '.turbo',
  '.parcel-cache', '.vercel', '.angular', '.docusaurus', '.expo', 'coverage', '.nyc_output',
  '__pycache__', '.venv', 'venv', '.tox', '.nox', '.eggs', '.mypy_cache', '.pytest_cache',
  '.ruff_cache', '.hypothesis', '.ipynb_checkpoints', '.gradle', '.idea', '.vscode-test', '.cache',
  '.sass-cache', '.terraform', '.serverless', '.dart_tool', '.pub-cache', 'elm-stuff',
  '.stack-work', 'DerivedData', 'Pods',
]);

/** Lower-cased names of dependency lock files: generated, long, and useless as answers. */
const LOCK_FILES = new Set([
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock', 'bun.lockb',
  'deno.lock', 'cargo.lock', 'poetry.lock', 'pipfile.lock', 'pdm.lock', 'uv.lock', 'gemfile.lock',
  'composer.lock', 'go.sum', 'go.work.sum', 'mix.lock', 'pubspec.lock', 'podfile.lock',
  'packages.lock.json', 'flake.lock', 'gradle.lockfile', 'conan.lock', 'package.resolved',
]);

const MINIFIED_SUFFIXES = [
  '.min.js', '.min.mjs', '.min.cjs', '.min.css', '-min.js', '.bundle.js', '.bundle.mjs', '.map',
];

/** Lower-cased extensions, without the dot, of formats that are never source text. */
const BINARY_EXTENSIONS = new Set([
  // images
  'png', 'jpg', 'jpeg', 'gif', 'bmp', 'ico', 'icns', 'tif', 'tiff', 'webp', 'avif', 'heic', 'psd',
  // archives and packages
  'zip', 'tar', 'gz', 'tgz', 'bz2', 'xz', 'zst', 'lz4', 'lzma', '7z', 'rar', 'jar', 'war', 'ear',
  'whl', 'egg', 'nupkg', 'apk', 'ipa', 'dmg', 'iso', 'deb', 'rpm', 'msi', 'cab',
  // fonts
  'woff', 'woff2', 'ttf', 'otf', 'eot',
  // audio and video
  'mp3', 'mp4', 'm4a', 'm4v', 'mov', 'avi', 'mkv', 'webm', 'wav', 'flac', 'ogg', 'oga', 'ogv',
  'aac', 'wma', 'wmv', 'flv',
  // compiled code and native libraries
  'wasm', 'so', 'dll', 'exe', 'dylib', 'bin', 'o', 'a', 'lib', 'obj', 'pdb', 'class', 'pyc', 'pyo',
  'pyd', 'node',
  // databases, data and model files
  'sqlite', 'sqlite3', 'db', 'mdb', 'accdb', 'parquet', 'arrow', 'feather', 'avro', 'orc', 'lance',
  'npy', 'npz', 'pkl', 'pickle', 'h5', 'hdf5', 'onnx', 'pt', 'pth', 'ckpt', 'safetensors', 'gguf',
  'tflite',
  // office documents
  'pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'odt', 'ods', 'odp',
  // editor swap files
  'swp', 'swo',
]);

const BINARY_FILES = new Set(['.ds_store', 'thumbs.db']);

const SECRET_FILES = new Set([
  '.env', '.envrc', '.npmrc', '.yarnrc.yml', '.pypirc', '.netrc', '_netrc', '.pgpass',
  '.git-credentials', '.htpasswd', '.s3cfg', 'secrets',
]);

const SECRET_EXTENSIONS = new Set([
  'pem', 'key', 'p12', 'pfx', 'p8', 'jks', 'keystore', 'kdbx', 'ppk', 'tfvars', 'tfstate',
  'secret', 'secrets', 'env',
]);

/** Name prefixes of secrets; `.env.` covers `.env.local`, `.env.production` and also `.env.example`. */
const SECRET_PREFIXES = ['.env.', 'id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', 'credentials', 'secrets.'];

const SERVICE_ACCOUNT = /service[-_]?account.*\.json$/;

/** Reason a folder is left out whatever the user's rules say. */
export function hardDirectoryReason(name: string): SkipReason | undefined {
  if (VCS_DIRS.has(name)) return 'ignored';
  if (SECRET_DIRS.has(name)) return 'secret';
  return undefined;
}

/**
 * Reason a file is left out whatever the user's rules say. `.env.example` and friends count as
 * secrets: they are meant to hold placeholders, but real values end up in them often enough.
 */
export function hardFileReason(name: string): SkipReason | undefined {
  if (name === '.git') return 'ignored'; // a worktree's or submodule's pointer file
  const lower = name.toLowerCase();
  if (SECRET_FILES.has(lower) || SECRET_EXTENSIONS.has(extensionOf(lower))) return 'secret';
  if (SECRET_PREFIXES.some((prefix) => lower.startsWith(prefix))) return 'secret';
  if (lower.endsWith('.tfstate.backup') || SERVICE_ACCOUNT.test(lower)) return 'secret';
  return undefined;
}

/** Default reason to leave a folder out; user rules may override it. */
export function builtinDirectoryReason(name: string): SkipReason | undefined {
  return BUILTIN_DIRS.has(name) || name.endsWith('.egg-info') ? 'ignored' : undefined;
}

/** Default reason to leave a file out; user rules may override it. */
export function builtinFileReason(name: string): SkipReason | undefined {
  const lower = name.toLowerCase();
  if (LOCK_FILES.has(lower)) return 'lockfile';
  if (MINIFIED_SUFFIXES.some((suffix) => lower.endsWith(suffix))) return 'minified';
  if (BINARY_FILES.has(lower) || BINARY_EXTENSIONS.has(extensionOf(lower))) return 'binary';
  return undefined;
}

/** Whether a '/'-separated relative path names a .gitignore or .ferretignore. */
export function isRulesFile(relPath: string): boolean {
  return RULES_FILE_NAMES.includes(relPath.slice(relPath.lastIndexOf('/') + 1));
}

function extensionOf(lowerName: string): string {
  const dot = lowerName.lastIndexOf('.');
  return dot > 0 ? lowerName.slice(dot + 1) : '';
}
