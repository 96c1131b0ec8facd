import { resolveOllamaHost } from '../ollama/ollamaHost';
import type { Endpoint, FerretSettings } from '../shared/protocol';

/** True for addresses that stay on this machine: localhost names, 127.0.0.0/8 and ::1. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * Every HTTP address the daemon may send code or questions to, with the ones that leave the
 * machine marked, so status can show them: nothing is remote unless a setting or OLLAMA_HOST says so.
 */
export function describeEndpoints(settings: FerretSettings, embedderId: string, chatProviders: readonly string[]): Endpoint[] {
  const urls: Record<'ollama' | 'openai', string | undefined> = { ollama: ollamaUrl(settings), openai: settings.openaiBaseUrl.trim() || undefined };
  const endpoints: Endpoint[] = [];
  const push = (purpose: Endpoint['purpose'], provider: 'ollama' | 'openai', url: string | undefined) => {
    if (url) endpoints.push({ purpose, provider, url, remote: !isLoopbackUrl(url) });
  };
  const embedding = embedderId.startsWith('ollama:') ? 'ollama' : embedderId.startsWith('openai:') ? 'openai' : undefined;
  if (embedding) {
    // `embedEndpoints`, when set, replaces the one configured server for embeddings.
    const listed = settings.embedEndpoints.map((entry) => (embedding === 'ollama' ? ollamaUrl({ ollamaHost: entry }) : entry.trim()));
    for (const url of settings.embedEndpoints.length ? listed : [urls[embedding]]) push('embeddings', embedding, url);
  }
  for (const id of chatProviders) if (id === 'ollama' || id === 'openai') push('chat', id, urls[id]);
  return endpoints;
}

function ollamaUrl(settings: Pick<FerretSettings, 'ollamaHost'>): string | undefined {
  try {
    return resolveOllamaHost(settings);
  } catch {
    // An unusable address is reported where it is used; it is contacted nowhere.
    return undefined;
  }
}
