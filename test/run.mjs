// Runs every test file with Node's own test runner; TypeScript is loaded through tsx.
// `node test/run.mjs unit`, `… integration` or `… faults` runs one group; unit + integration by default.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const groups = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration'];
const files = groups.flatMap((group) =>
  readdirSync(join('test', group))
    .filter((name) => name.endsWith('.test.ts'))
    .sort()
    .map((name) => join('test', group, name)),
);
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  env: { ...process.env, LANCEDB_LOG: 'error' },
});
process.exit(result.status ?? 1);
