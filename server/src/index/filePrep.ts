/**
 * The CPU-bound part of indexing one file, from its bytes on disk to rows waiting for vectors:
 * read, decode, hash, mask secrets, chunk, build rows. It touches neither the store nor the
 * catalog, so the same function runs on the pass's own thread (small passes) and in the
 * workers of filePrepPool.ts (large ones), and both produce the same rows.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { languageOf } from '../chunk/languages';
import type { SkipReason } from '../shared/protocol';
import type { ChunkRow } from '../store/vectorStore';
import { maskSecrets } from '../text/secretMasker';
import { decodeSource } from '../watch/contentSniffer';
import { embedInput, rowOf, sha1, symbolsByChunk } from './chunkRows';
import type { IndexChunker } from './indexChunker';

/** One file to prepare; plain data, so it can be posted to a worker. */
export interface PrepTask {
  root: string;
  /** Workspace-relative, '/'-separated. */
  path: string;
  /** Hash the catalog records for the file, if it lists it: equal content is not chunked again. */
  knownHash: string | undefined;
  maxFileSize: number;
  embedderId: string;
}

/** A row without its vector, and the text its vector is computed from. */
export interface PendingRow {
  row: Omit<ChunkRow, 'vector'>;
  input: string;
}

/** What became of one file; plain data, so a worker can post it back. */
export type PrepOutcome =
  /** Gone between the scan and the read: a removal, not an error. */
  | { kind: 'gone' }
  /** Left out; `message` is worth a log line. */
  | { kind: 'skipped'; reason: SkipReason; message?: string }
  /** Same content as the catalog records (only the stat changed). */
  | { kind: 'unchanged' }
  | { kind: 'chunked'; hash: string; bytes: number; pending: PendingRow[]; fallbackReason?: string };

/** Reads a whole file. Workers read synchronously (nothing else waits on their thread); the pass's own thread must not block. */
export type ReadFile = (absolutePath: string) => Promise<Buffer> | Buffer;

export async function prepareFile(task: PrepTask, chunker: IndexChunker, readFile: ReadFile = (file) => fs.readFile(file)): Promise<PrepOutcome> {
  const { path } = task;
  let bytes: Buffer;
  try {
    bytes = await readFile(join(task.root, path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'gone' };
    return { kind: 'skipped', reason: 'unreadable', message: `Cannot read ${path}: ${(error as Error).message}` };
  }
  // The file may have grown since it was stat'ed.
  if (bytes.length > task.maxFileSize) return { kind: 'skipped', reason: 'too-large' };
  const decoded = decodeSource(bytes, path);
  if ('skip' in decoded) return { kind: 'skipped', reason: decoded.skip };
  const hash = sha1(decoded.text);
  if (hash === task.knownHash) return { kind: 'unchanged' };
  // Masked before chunking: stored text, full-text column and embedded input all derive from it.
  const chunked = await chunker.chunkFile(path, maskSecrets(decoded.text, languageOf(path)));
  const symbols = symbolsByChunk(chunked.chunks, chunked.fromTree);
  const pending = chunked.chunks.map((chunk, i) => ({ row: rowOf(chunk, task.embedderId, symbols[i]), input: embedInput(chunk) }));
  return { kind: 'chunked', hash, bytes: bytes.length, pending, ...(chunked.fallbackReason ? { fallbackReason: chunked.fallbackReason } : {}) };
}
