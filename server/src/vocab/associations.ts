/**
 * Which words people use for which names, learned from the workspace: every unit whose comments
 * use a word (`expired`) and whose name has a part (`stale`) counts one co-occurrence. Counts are
 * exact and additive, so a file's units can be counted out again when it changes.
 */
import { detach } from '../text/detach';
import { bump } from './counter';

export interface Associate {
  stem: string;
  /** Normalised pointwise mutual information, 0..1: 1 when the word and the name part always go together. */
  strength: number;
}

/** Pairs seen fewer times than this are chance, not vocabulary. */
const MIN_PAIR_COUNT = 3;

export class Associations {
  private readonly pairs = new Map<string, Map<string, number>>();
  private readonly wordUnits = new Map<string, number>();
  private readonly nameUnits = new Map<string, number>();
  private units = 0;

  /** Counts one unit's comment words with its name parts, in (`sign` 1) or out (-1). */
  count(words: ReadonlySet<string>, names: ReadonlySet<string>, sign: 1 | -1): void {
    if (words.size === 0 || names.size === 0) return;
    this.units += sign;
    for (const word of words) {
      bump(this.wordUnits, word, sign);
      let row = this.pairs.get(word);
      if (!row) this.pairs.set(detach(word), (row = new Map()));
      for (const name of names) if (!words.has(name)) bump(row, name, sign);
      if (row.size === 0) this.pairs.delete(word);
    }
    for (const name of names) bump(this.nameUnits, name, sign);
  }

  /** The name parts that go with `word` most strongly, strongest first. */
  associates(word: string, limit: number, minStrength: number): Associate[] {
    const row = this.pairs.get(word);
    const wordCount = this.wordUnits.get(word) ?? 0;
    if (!row || wordCount === 0) return [];
    const found: Associate[] = [];
    for (const [name, together] of row) {
      if (together < MIN_PAIR_COUNT) continue;
      const nameCount = this.nameUnits.get(name) ?? 0;
      const joint = together / this.units;
      const pmi = Math.log(joint / ((wordCount / this.units) * (nameCount / this.units)));
      const strength = pmi / -Math.log(joint);
      if (strength >= minStrength) found.push({ stem: name, strength });
    }
    return found.sort((a, b) => b.strength - a.strength || a.stem.localeCompare(b.stem)).slice(0, limit);
  }

  toJSON(): AssociationsJson {
    return {
      units: this.units,
      words: [...this.wordUnits],
      names: [...this.nameUnits],
      pairs: [...this.pairs].map(([word, row]) => [word, [...row]]),
    };
  }

  static fromJSON(value: unknown): Associations | undefined {
    const raw = value as Partial<AssociationsJson> | null;
    if (!raw || typeof raw.units !== 'number' || !isCounts(raw.words) || !isCounts(raw.names) || !Array.isArray(raw.pairs)) return undefined;
    const associations = new Associations();
    associations.units = raw.units;
    for (const [word, count] of raw.words) associations.wordUnits.set(word, count);
    for (const [name, count] of raw.names) associations.nameUnits.set(name, count);
    for (const entry of raw.pairs as unknown[]) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !isCounts(entry[1])) return undefined;
      associations.pairs.set(entry[0], new Map(entry[1]));
    }
    return associations;
  }
}

interface AssociationsJson {
  units: number;
  words: Array<[string, number]>;
  names: Array<[string, number]>;
  pairs: Array<[string, Array<[string, number]>]>;
}

function isCounts(value: unknown): value is Array<[string, number]> {
  return Array.isArray(value) && value.every((entry) => Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'number');
}
