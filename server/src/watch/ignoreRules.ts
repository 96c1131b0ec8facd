import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { SkipReason } from '../shared/protocol';
import {
  RULES_FILE_NAMES,
  builtinDirectoryReason,
  builtinFileReason,
  hardDirectoryReason,
  hardFileReason,
  isRulesFile,
} from './builtinRules';

/** The rules of one folder's .gitignore + .ferretignore (or of the `exclude` setting), scoped to `dir`. */
interface Level {
  /** '/'-separated folder the patterns are relative to; '' for the root. */
  dir: string;
  matcher: Ignore;
}

/** Git compares names case-insensitively exactly where the file system does. */
const IGNORE_CASE = process.platform === 'darwin' || process.platform === 'win32';

/**
 * Decides by name alone whether a path is left out, with git's precedence: the `exclude` setting
 * first (like patterns on git's command line), then the rules of the nearest folder up to the
 * root (a deeper file overrides a shallower one, the last matching line wins), then the built-in
 * defaults. Hard rules (VCS folders, secrets) come before all of them. A path under an excluded
 * folder is excluded, as in git, whatever later rules say.
 *
 * Deeper rule files are read synchronously on first use and cached: `check` is called for every
 * path the scanner and the watcher meet, and each folder costs one stat per rules file once.
 */
export class IgnoreRules {
  private readonly levels = new Map<string, Level | null>();
  private readonly directoryVerdicts = new Map<string, SkipReason | null>();
  /** Matchers with contaminating ancestors re-included, keyed by level dir and path parent. */
  private readonly cleanMatchers = new Map<string, Ignore>();

  private constructor(
    private readonly root: string,
    private readonly exclude: Level | null,
  ) {}

  static async load(root: string, options: { exclude: string[] }): Promise<IgnoreRules> {
    const patterns = options.exclude.filter((pattern) => pattern.trim() !== '');
    const exclude = patterns.length > 0 ? { dir: '', matcher: newMatcher().add(patterns) } : null;
    const rules = new IgnoreRules(root, exclude);
    const texts = await Promise.all(
      RULES_FILE_NAMES.map((name) => readFile(join(root, name), 'utf8').catch(() => undefined)),
    );
    rules.levels.set('', levelOf('', texts));
    return rules;
  }

  /** Why relPath ('/'-separated, relative to root) is left out by name alone, or undefined. */
  check(relPath: string, isDirectory: boolean): SkipReason | undefined {
    if (relPath === '') return undefined;
    const slash = relPath.lastIndexOf('/');
    const parentReason = slash < 0 ? undefined : this.directoryReason(relPath.slice(0, slash));
    if (parentReason !== undefined) return parentReason;
    return isDirectory ? this.directoryReason(relPath) : this.evaluate(relPath, false);
  }

  /** A .gitignore/.ferretignore changed or appeared/disappeared: re-read rules (lazily). */
  invalidate(relPath: string): void {
    if (!isRulesFile(relPath)) return;
    const slash = relPath.lastIndexOf('/');
    this.levels.delete(slash < 0 ? '' : relPath.slice(0, slash));
    this.directoryVerdicts.clear();
    this.cleanMatchers.clear();
  }

  /** Verdict of a folder including its ancestors, memoised: every path below asks for it. */
  private directoryReason(dir: string): SkipReason | undefined {
    const known = this.directoryVerdicts.get(dir);
    if (known !== undefined) return known ?? undefined;
    const slash = dir.lastIndexOf('/');
    const reason =
      (slash < 0 ? undefined : this.directoryReason(dir.slice(0, slash))) ?? this.evaluate(dir, true);
    this.directoryVerdicts.set(dir, reason ?? null);
    return reason;
  }

  /** The path's own verdict, its ancestors known not to be excluded. */
  private evaluate(relPath: string, isDirectory: boolean): SkipReason | undefined {
    const name = relPath.slice(relPath.lastIndexOf('/') + 1);
    const hard = isDirectory ? hardDirectoryReason(name) : hardFileReason(name);
    if (hard !== undefined) return hard;
    const user = this.userVerdict(relPath, isDirectory);
    if (user !== undefined) return user ? 'ignored' : undefined;
    return isDirectory ? builtinDirectoryReason(name) : builtinFileReason(name);
  }

  /** true: excluded by a user rule; false: re-included by a negation; undefined: no rule matched. */
  private userVerdict(relPath: string, isDirectory: boolean): boolean | undefined {
    for (const level of this.levelsFor(relPath)) {
      const local = level.dir === '' ? relPath : relPath.slice(level.dir.length + 1);
      const probe = isDirectory ? `${local}/` : local;
      let result = level.matcher.test(probe);
      if (result.ignored) {
        // `ignore` also excludes a path when one of its folders matches this level's rules,
        // even if a deeper rules file re-included that folder; judge the path by itself then.
        const excludedAncestors = ancestorsOf(local).filter((dir) => level.matcher.test(`${dir}/`).ignored);
        if (excludedAncestors.length > 0) result = this.cleanMatcher(level, local, excludedAncestors).test(probe);
      }
      if (result.ignored) return true;
      if (result.unignored) return false;
    }
    return undefined;
  }

  /** Levels that apply to relPath, highest precedence first. */
  private levelsFor(relPath: string): Level[] {
    const found: Level[] = this.exclude ? [this.exclude] : [];
    let end = relPath.lastIndexOf('/');
    while (end > 0) {
      const level = this.level(relPath.slice(0, end));
      if (level) found.push(level);
      end = relPath.lastIndexOf('/', end - 1);
    }
    const rootLevel = this.level('');
    if (rootLevel) found.push(rootLevel);
    return found;
  }

  private level(dir: string): Level | null {
    let level = this.levels.get(dir);
    if (level === undefined) {
      level = levelOf(dir, RULES_FILE_NAMES.map((name) => readRulesFile(join(this.root, dir, name))));
      this.levels.set(dir, level);
    }
    return level;
  }

  private cleanMatcher(level: Level, local: string, excludedAncestors: string[]): Ignore {
    const key = `${level.dir}\0${local.slice(0, Math.max(0, local.lastIndexOf('/')))}`;
    let matcher = this.cleanMatchers.get(key);
    if (!matcher) {
      const reincluded = excludedAncestors.map((dir) => ({ pattern: `!/${escapePattern(dir)}/` }));
      matcher = newMatcher().add(level.matcher).add(reincluded);
      this.cleanMatchers.set(key, matcher);
    }
    return matcher;
  }
}

function newMatcher(): Ignore {
  return ignore({ ignorecase: IGNORE_CASE });
}

function levelOf(dir: string, texts: Array<string | undefined>): Level | null {
  const present = texts.filter((text): text is string => text !== undefined);
  if (present.length === 0) return null;
  const matcher = newMatcher();
  for (const text of present) matcher.add(text);
  return { dir, matcher };
}

/** A rules file's text, or undefined if there is none; an unreadable one counts as absent. */
function readRulesFile(path: string): string | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** 'a/b/c' → ['a', 'a/b']. */
function ancestorsOf(relPath: string): string[] {
  const result: string[] = [];
  for (let slash = relPath.indexOf('/'); slash > 0; slash = relPath.indexOf('/', slash + 1)) {
    result.push(relPath.slice(0, slash));
  }
  return result;
}

/** A literal path as a gitignore pattern (newlines are safe: the pattern is passed whole). */
function escapePattern(literal: string): string {
  return literal.replace(/[\\*?[\]]/g, '\\$&');
}
