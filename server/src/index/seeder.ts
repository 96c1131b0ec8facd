/**
 * The hook through which an empty index is filled from elsewhere before its first pass
 * (share/seed.ts implements it); declared here so index/ never imports share/.
 */
import type { FileStat } from '../watch/folderScanner';
import type { Generation } from './generation';

/** What seeding copied, and one sentence for status on how it went. */
export interface SeedReport {
  files: number;
  chunks: number;
  sentence: string;
}

/** Copies into `target` (empty but for what it stores) the rows of files whose content a shared index holds. */
export type Seeder = (folder: string, target: Generation, files: ReadonlyMap<string, FileStat>, signal?: AbortSignal) => Promise<SeedReport>;
