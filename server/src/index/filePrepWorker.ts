// Entry of dist/filePrepWorker.js: one worker thread of filePrepPool.ts. It prepares files one
// at a time, in the order they arrive, so the pool knows which file a crash belongs to.
import { readFileSync } from 'node:fs';
import { parentPort, type MessagePort } from 'node:worker_threads';
import { createIndexChunker } from './indexChunker';
import { errorMessage } from '../log';
import { prepareFile } from './filePrep';
import type { PrepReply, PrepRequest } from './filePrepPool';

function parent(): MessagePort {
  if (!parentPort) throw new Error('filePrepWorker.js runs as a worker thread of filePrepPool.ts');
  return parentPort;
}

const port = parent();

/** What the chunker logged since the last reply (its start-up included), sent back with the next file's outcome. */
let logs: string[] = [];
const chunker = createIndexChunker((message) => logs.push(message));
let queue = Promise.resolve();

async function handle({ id, task }: PrepRequest): Promise<void> {
  let reply: PrepReply;
  try {
    const outcome = await prepareFile(task, await chunker, readFileSync);
    reply = { id, outcome, logs };
    logs = [];
  } catch (error) {
    reply = { id, error: errorMessage(error) };
  }
  port.postMessage(reply);
}

port.on('message', (request: PrepRequest) => {
  queue = queue.then(() => handle(request));
});
