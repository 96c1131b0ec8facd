/**
 * What a full pass finds in its target before it starts, and the seeding of an empty one from a
 * shared index (`ferret.sharedIndex`): tried once, before the first pass that finds the index
 * empty, and remembered as one sentence for status.
 */
import type { Logger } from '../log';
import type { FileStat } from '../watch/folderScanner';
import { dropUncatalogued } from './crashRepair';
import type { Generation } from './generation';
import type { SeedReport, Seeder } from './seeder';

export class FolderSeeding {
  private due: boolean;
  /** How the seeding went, for status; undefined until it was tried. */
  note: string | undefined;

  constructor(
    private readonly folder: string,
    private readonly seeder: Seeder | undefined,
    private readonly log: Logger,
    private readonly onChange: () => void,
  ) {
    this.due = seeder !== undefined;
  }

  /**
   * Readies `target` for a full pass over `files`: an empty one (`cold`) forgets its catalog and is
   * seeded when due; one whose last pass was cut short loses the rows its catalog never recorded.
   */
  async prepare(target: Generation, files: ReadonlyMap<string, FileStat>, signal?: AbortSignal): Promise<{ cold: boolean; seeded?: SeedReport }> {
    const cold = (await target.store.count()) === 0;
    if (!cold) {
      if (target.catalog.interrupted) await dropUncatalogued(target);
      return { cold };
    }
    target.catalog.clear();
    const seeded = await this.seedIfDue(target, files, signal);
    return seeded ? { cold, seeded } : { cold };
  }

  /** Fills `target` from the shared index when this is the first cold pass; undefined when not due. */
  private async seedIfDue(target: Generation, files: ReadonlyMap<string, FileStat>, signal?: AbortSignal): Promise<SeedReport | undefined> {
    if (!this.due || !this.seeder) return undefined;
    this.due = false;
    const report = await this.seeder(this.folder, target, files, signal);
    this.note = report.sentence;
    this.log.info(report.sentence);
    this.onChange();
    return report;
  }
}
