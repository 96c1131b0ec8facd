// Runs every test file with Node's own test runner; TypeScript is loaded through tsx.
// `node test/run.mjs unit`, `… integration` or `… faults` runs one group; unit + integration by default.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

const groups = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration'];
const files = groups.flatMap((group) =>
  readdirSync(join('test', group))
    .filter((name) => name.endsWith('.test.ts'))
    .sort()
    .map((name) => join('test', group, name)),
);
// A test that waits for an event that never comes fails after 5 minutes instead of stalling CI.
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', ...files], {
  stdio: 'inherit',
  // Tests read indexes with LanceDB in their own process too (test/support/indexContents.ts); on two
  // cores its default one-thread pool can park every query for good, as daemon.ts explains.
  env: { ...process.env, LANCEDB_LOG: 'error', LANCE_CPU_THREADS: process.env.LANCE_CPU_THREADS ?? String(Math.max(4, availableParallelism())) },
});
process.exit(result.status ?? 1);
