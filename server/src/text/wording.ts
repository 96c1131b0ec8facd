/** How every message of the daemon and the CLI words what it says to a person. */

/**
 * `text` as a sentence: trimmed, with a capital first letter and a final full stop. Messages are
 * built from parts (a server label, another error's message) that may start in lower case or end
 * without a stop; every place that shows one to a person goes through here, so they all read alike.
 */
export function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** `50 ms`, `1.5 s`, `2 min 5 s`: no more precision than a person reads. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 59_950) return `${Math.round(ms / 100) / 10} s`;
  const seconds = Math.round(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
}
