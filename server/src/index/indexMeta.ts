import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { SCHEMA_VERSION } from '../store/chunkSchema';
import { readJsonFile, writeFileAtomic } from '../store/atomicFile';

/** Which table of a folder's index is live, and how its vectors were made. */
export interface IndexMeta {
  schemaVersion: number;
  generation: number;
  embedderId: string;
  dimensions: number;
}

export type MetaReading =
  | { kind: 'absent' }
  | { kind: 'ok'; meta: IndexMeta }
  /** The folder holds an index this version cannot use; the reason is one sentence. */
  | { kind: 'unusable'; reason: string };

const META_FILE = 'meta.json';

export async function readIndexMeta(dir: string): Promise<MetaReading> {
  let raw: unknown;
  try {
    raw = await readJsonFile(join(dir, META_FILE));
  } catch (error) {
    return { kind: 'unusable', reason: `its meta.json could not be read (${(error as Error).message})` };
  }
  if (raw === undefined) return { kind: 'absent' };
  const meta = raw as Partial<IndexMeta>;
  if (typeof meta.schemaVersion !== 'number' || typeof meta.generation !== 'number' || typeof meta.embedderId !== 'string' || typeof meta.dimensions !== 'number') {
    return { kind: 'unusable', reason: 'its meta.json is not in the expected format' };
  }
  if (meta.schemaVersion !== SCHEMA_VERSION) {
    return { kind: 'unusable', reason: `it was written with index schema ${meta.schemaVersion} and this version uses ${SCHEMA_VERSION}` };
  }
  return { kind: 'ok', meta: meta as IndexMeta };
}

export function writeIndexMeta(dir: string, meta: IndexMeta): Promise<void> {
  return writeFileAtomic(join(dir, META_FILE), JSON.stringify(meta));
}

/** Names carry the embedder, so a half-built generation is only ever resumed by the embedder that began it. */
function generationKey(meta: IndexMeta): string {
  const embedder = createHash('sha1').update(`${meta.embedderId}\0${meta.dimensions}`).digest('hex').slice(0, 8);
  return `${meta.generation}_${embedder}`;
}

export function tableName(meta: IndexMeta): string {
  return `chunks_${generationKey(meta)}`;
}

export function catalogPath(dir: string, meta: IndexMeta): string {
  return join(dir, `catalog_${generationKey(meta)}.json`);
}

export function vocabularyPath(dir: string, meta: IndexMeta): string {
  return join(dir, `vocabulary_${generationKey(meta)}.json`);
}

/** Files of a folder's index that belong to no generation but `keep`. */
export function isStaleGenerationFile(name: string, keep: IndexMeta): boolean {
  const isGenerationFile = name.startsWith('chunks_') || name.startsWith('catalog_') || name.startsWith('vocabulary_');
  const kept = [`${tableName(keep)}.lance`, `catalog_${generationKey(keep)}.json`, `vocabulary_${generationKey(keep)}.json`];
  return isGenerationFile && !kept.includes(name);
}
