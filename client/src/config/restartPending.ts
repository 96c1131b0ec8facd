import { USER_SETTING_KEYS, type SettingKey } from '../../../server/src/shared/settingsSchema';
import { FERRET_SECTION } from './configurationMiddleware';

/**
 * Which settings waiting for a daemon restart the user has not been asked about yet, as
 * `ferret.*` names. `asked` remembers what was offered, and forgets keys no longer pending (the
 * daemon restarted, or the value was changed back), so a later change asks again. Keys the
 * extension sets itself (`watch`, `indexDir`) follow a user setting and are not named.
 */
export function settingsToOffer(asked: Set<SettingKey>, pending: readonly SettingKey[]): string[] {
  for (const key of asked) if (!pending.includes(key)) asked.delete(key);
  const fresh = pending.filter((key) => USER_SETTING_KEYS.includes(key) && !asked.has(key));
  for (const key of fresh) asked.add(key);
  return fresh.map((key) => `${FERRET_SECTION}.${key}`);
}

/** The prompt's sentence for `names`. */
export function restartMessage(names: readonly string[]): string {
  const list = names.map((name) => `"${name}"`).join(', ');
  return `Ferret: ${list} ${names.length === 1 ? 'takes' : 'take'} effect when the daemon restarts.`;
}
