/** Where Ollama listens when nothing says otherwise. */
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

const DEFAULT_PORT = '11434';

/**
 * The Ollama base URL to connect to, from the `ollamaHost` setting, else the `OLLAMA_HOST`
 * environment variable, else {@link DEFAULT_OLLAMA_HOST}. Always `scheme://host:port` with an
 * explicit port and no trailing slash (plus a path prefix when one was given, for reverse proxies).
 *
 * Follows Ollama's own reading of `OLLAMA_HOST`, so Ferret connects where `ollama` itself would:
 * `host`, `host:port`, `:port`, `http://host:port`; without a scheme the port defaults to 11434,
 * with one to the scheme's port (`http://localhost` is port 80). A server bound to `0.0.0.0` or
 * `::` is reached on loopback.
 *
 * @throws RangeError with a sentence for a person when the value is not an address.
 */
export function resolveOllamaHost(
  settings?: { ollamaHost?: string },
  env: Record<string, string | undefined> = process.env,
): string {
  const fromSetting = settings?.ollamaHost?.trim();
  const fromEnv = env.OLLAMA_HOST?.trim();
  if (fromSetting) return parseOllamaHost(fromSetting, 'the ferret.ollamaHost setting');
  if (fromEnv) return parseOllamaHost(fromEnv, 'OLLAMA_HOST');
  return DEFAULT_OLLAMA_HOST;
}

/** One Ollama address read as {@link resolveOllamaHost} reads it; `source` names where it came from in the error. */
export function parseOllamaHost(raw: string, source: string): string {
  const invalid = () =>
    new RangeError(`The Ollama address "${raw}" from ${source} is not valid; use host:port or http://host:port.`);
  let scheme = 'http';
  let rest = raw;
  let defaultPort = DEFAULT_PORT;
  const explicit = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw);
  if (explicit) {
    scheme = explicit[1].toLowerCase();
    if (scheme !== 'http' && scheme !== 'https') throw invalid();
    rest = raw.slice(explicit[0].length);
    defaultPort = scheme === 'https' ? '443' : '80';
  }
  if (rest.startsWith(':')) rest = `127.0.0.1${rest}`;
  let url: URL;
  try {
    url = new URL(`${scheme}://${rest}`);
  } catch {
    throw invalid();
  }
  // fetch refuses URLs with credentials, so accepting them here would only fail later and less clearly.
  if (url.username || url.password || !url.hostname) throw invalid();
  // URL drops a port equal to the scheme's default, so read an explicit one from the text itself.
  const port = url.port || /:(\d+)$/.exec(rest.split('/')[0])?.[1] || defaultPort;
  const host = url.hostname === '0.0.0.0' ? '127.0.0.1' : url.hostname === '[::]' ? '[::1]' : url.hostname;
  const path = url.pathname.replace(/\/+$/, '');
  return `${scheme}://${host}:${port}${path}`;
}
