import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { configurationContribution, withGeneratedSettings } from '../../scripts/settingsManifest';
import { USER_SETTING_KEYS } from '../../server/src/shared/settingsSchema';

const packageJson = join(import.meta.dirname, '..', '..', 'package.json');

test('package.json contributes exactly the settings the schema defines', () => {
  const committed = readFileSync(packageJson, 'utf8');
  // On failure: run `npm run settings` and commit package.json.
  assert.equal(committed, withGeneratedSettings(committed), 'package.json is out of date with server/src/shared/settingsSchema.ts; run `npm run settings`.');
});

test('every user setting is contributed once, in a category that holds distinct orders', () => {
  const categories = configurationContribution();
  const names = categories.flatMap((category) => Object.keys(category.properties));
  assert.deepEqual([...names].sort(), USER_SETTING_KEYS.map((key) => `ferret.${key}`).sort());
  for (const category of categories) {
    const orders = Object.values(category.properties).map((property) => property.order);
    assert.ok(orders.length > 0, `${category.title} has no settings`);
    assert.equal(new Set(orders).size, orders.length, `${category.title} repeats an order`);
  }
});
