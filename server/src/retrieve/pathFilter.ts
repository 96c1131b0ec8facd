import picomatch from 'picomatch';
import { sqlStartsWith } from '../store/sqlFilter';

export interface PathFilter {
  /** A predicate narrowing the stored rows before ranking, when the globs share literal folder prefixes. */
  prefilter?: string;
  matches(path: string): boolean;
}

/**
 * Path globs from a search request. A glob without a `/` matches the file name at any
 * depth (`*.py`), as users type it in VS Code's search box.
 */
export function compilePathFilter(globs: readonly string[]): PathFilter | undefined {
  if (globs.length === 0) return undefined;
  const matchers = globs.map((glob) => picomatch(glob, { dot: true, basename: !glob.includes('/') }));
  const prefixes = globs.map(literalFolderPrefix);
  const prefilter = prefixes.every((p): p is string => p !== undefined)
    ? prefixes.map((p) => sqlStartsWith('path', p)).join(' OR ')
    : undefined;
  return { prefilter, matches: (path) => matchers.some((m) => m(path)) };
}

/** `src/server/**\/*.ts` → `src/server/`; undefined when the glob can start anywhere. */
function literalFolderPrefix(glob: string): string | undefined {
  const firstMagic = glob.search(/[*?[\]{}()!+@]/);
  const literal = firstMagic === -1 ? glob : glob.slice(0, firstMagic);
  const slash = literal.lastIndexOf('/');
  return slash > 0 ? literal.slice(0, slash + 1) : undefined;
}
