import { detach } from '../text/detach';

/**
 * Adds `sign` to `key`'s count, dropping keys that reach zero. A new key is stored as a copy:
 * terms arrive cut from a row's packed lexicon, and a kept slice would keep the whole lexicon.
 */
export function bump(map: Map<string, number>, key: string, sign: 1 | -1): void {
  const current = map.get(key);
  if (current === undefined) {
    if (sign > 0) map.set(detach(key), sign);
    return;
  }
  const next = current + sign;
  if (next > 0) map.set(key, next);
  else map.delete(key);
}

/** The words of a space-separated list; '' holds none. */
export function words(packed: string): string[] {
  return packed ? packed.split(' ') : [];
}
