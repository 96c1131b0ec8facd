/**
 * Hand-run throughput check for chunk/ (not a test):
 *   node --import tsx test/bench/chunkThroughput.ts [folder…]
 * Chunks every .ts/.js/.py/… file under the folders (default: a few packages in node_modules),
 * one at a time on one core, and prints files/s, MB/s, chunks and fallbacks.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createChunker, languageOf } from '../../server/src/chunk/chunker';

const MAX_FILE = 1024 * 1024;
const roots = process.argv.slice(2);
const defaults = ['node_modules/typescript/lib', 'node_modules/vscode-languageserver', 'node_modules/ollama', 'node_modules/apache-arrow'];

function* files(folder: string): Generator<string> {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = join(folder, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile() && statSync(full).size <= MAX_FILE && languageOf(full) !== 'text' && !entry.name.endsWith('.map')) yield full;
  }
}

async function main(): Promise<void> {
  const chunker = await createChunker();
  const inputs = (roots.length ? roots : defaults).flatMap((root) => [...files(root)]).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  const started = performance.now();
  let bytes = 0;
  let chunks = 0;
  const methods: Record<string, number> = {};
  const fallbacks: Record<string, number> = {};
  for (const { path, text } of inputs) {
    const result = await chunker.chunkFile(relative('.', path), text);
    bytes += Buffer.byteLength(text);
    chunks += result.chunks.length;
    methods[result.method] = (methods[result.method] ?? 0) + 1;
    if (result.fallbackReason) fallbacks[result.fallbackReason] = (fallbacks[result.fallbackReason] ?? 0) + 1;
  }
  const seconds = (performance.now() - started) / 1000;
  chunker.dispose();
  console.log(`${inputs.length} files, ${(bytes / 1e6).toFixed(1)} MB, ${chunks} chunks in ${seconds.toFixed(2)} s`);
  console.log(`${(inputs.length / seconds).toFixed(0)} files/s, ${(bytes / 1e6 / seconds).toFixed(2)} MB/s`);
  console.log('methods', methods, 'fallbacks', fallbacks, `rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
}

void main();
