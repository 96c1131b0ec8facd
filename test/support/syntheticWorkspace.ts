import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The words the modules are named from, for tests that write queries about them. */
export const NOUNS = ['order', 'invoice', 'customer', 'payment', 'shipment', 'ledger', 'report', 'account', 'coupon', 'refund', 'basket', 'tariff'];
export const VERBS = ['validate', 'compute', 'render', 'persist', 'archive', 'publish', 'reconcile', 'schedule'];

/** Where {@link writeSyntheticWorkspace} puts module `n`, relative to the workspace. */
export function syntheticModulePath(n: number): string {
  const noun = NOUNS[n % NOUNS.length]!;
  return `pkg${n % 17}/${noun}/${noun}${n}.ts`;
}

/**
 * Writes `count` small but distinct TypeScript modules (classes, methods, functions, doc
 * comments), spread over folders, so indexing has real syntax to chunk at a volume where
 * a pass takes long enough to interrupt.
 */
export function writeSyntheticWorkspace(root: string, count: number): void {
  for (let i = 0; i < count; i++) {
    const noun = NOUNS[i % NOUNS.length]!;
    const verb = VERBS[(i * 7) % VERBS.length]!;
    const Name = `${noun[0]!.toUpperCase()}${noun.slice(1)}${i}`;
    const file = join(root, syntheticModulePath(i));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(
      file,
      `import { helper${i % 5} } from '../../shared';

/** Keeps ${noun} number ${i} and knows how to ${verb} it. */
export class ${Name}Service {
  private readonly items: string[] = [];

  /** Adds an item to ${noun} ${i}. */
  add(item: string): number {
    this.items.push(item.trim());
    return this.items.length;
  }

  /** ${verb} every ${noun} item. */
  ${verb}All(limit = ${i % 50}): string[] {
    return this.items.slice(0, limit).map((x) => helper${i % 5}(x + '${i}'));
  }
}

export function ${verb}${Name}(values: number[]): number {
  let total = ${i};
  for (const value of values) total += value * ${(i % 9) + 1};
  return total;
}
`,
    );
  }
}
