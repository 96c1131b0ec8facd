// `npm run settings`: rewrites package.json's settings from the schema.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withGeneratedSettings } from './settingsManifest';

const path = join(import.meta.dirname, '..', 'package.json');
const before = readFileSync(path, 'utf8');
const after = withGeneratedSettings(before);
if (after === before) console.log('package.json settings are up to date.');
else {
  writeFileSync(path, after);
  console.log('package.json settings regenerated from server/src/shared/settingsSchema.ts.');
}
