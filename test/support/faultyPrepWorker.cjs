// A stand-in for dist/filePrepWorker.js that fails on purpose, chosen by file name, so tests can
// watch index/filePrepPool.ts meet a worker that dies, throws, runs out of memory, or reports an error.
const { parentPort } = require('node:worker_threads');

parentPort.on('message', ({ id, task }) => {
  const name = task.path.split('/').pop();
  if (name === 'exits.ts') process.exit(7);
  if (name === 'throws.ts') throw new Error('uncaught in the worker');
  if (name === 'hungry.ts') for (const held = []; ; ) held.push(new Array(1e5).fill(held.length));
  if (name === 'fails.ts') return parentPort.postMessage({ id, error: 'the chunker broke' });
  parentPort.postMessage({ id, outcome: { kind: 'skipped', reason: 'binary' }, logs: [] });
});
