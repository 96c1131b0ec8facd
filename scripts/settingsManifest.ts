/**
 * package.json's `contributes.configuration`, generated from the settings schema
 * (server/src/shared/settingsSchema.ts): one category per group, each setting with its order,
 * markdown description and constraints. `npm run settings` writes it; a unit test fails when the
 * committed package.json differs from what this produces.
 */
import { SETTING_KEYS, SETTINGS_GROUPS, settingSpec, type SettingKey, type SettingSpec } from '../server/src/shared/settingsSchema';

interface ConfigurationCategory {
  title: string;
  order: number;
  properties: Record<string, Record<string, unknown>>;
}

/** The JSON-schema fields of a spec that VS Code reads, in the order they are written; a new constraint in the schema goes here too. */
const SCHEMA_FIELDS = ['type', 'items', 'enum', 'uniqueItems', 'minimum', 'maximum', 'minLength', 'default', 'scope'] as const;

function property(spec: SettingSpec, order: number): Record<string, unknown> {
  const fields: Partial<Record<(typeof SCHEMA_FIELDS)[number] | 'enumDescriptions', unknown>> = spec;
  const schema = SCHEMA_FIELDS.filter((name) => fields[name] !== undefined).map((name) => [name, fields[name]]);
  return {
    ...Object.fromEntries(schema),
    order,
    markdownDescription: spec.description,
    ...(fields.enumDescriptions !== undefined ? { markdownEnumDescriptions: fields.enumDescriptions } : {}),
  };
}

export function configurationContribution(): ConfigurationCategory[] {
  return SETTINGS_GROUPS.map((title, i) => {
    const members = SETTING_KEYS.flatMap((key): [SettingKey, SettingSpec & { order: number }][] => {
      const spec = settingSpec(key);
      return spec.group === title ? [[key, spec]] : [];
    }).sort(([, a], [, b]) => a.order - b.order);
    return { title, order: i + 1, properties: Object.fromEntries(members.map(([key, spec]) => [`ferret.${key}`, property(spec, spec.order)])) };
  });
}

/** The text of package.json with its settings replaced by the generated ones, formatted as npm writes it. */
export function withGeneratedSettings(packageJson: string): string {
  const manifest = JSON.parse(packageJson) as { contributes: Record<string, unknown> };
  manifest.contributes.configuration = configurationContribution();
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
