/** The providers the router knows, by `ChatModel.id`. */
export type ProviderId = 'mlx' | 'ollama' | 'openai';

export interface OrderContext {
  platform?: NodeJS.Platform;
  arch?: string;
  /** The configured OpenAI-compatible base URL; `openai` joins the order only when one is set. */
  openaiBaseUrl?: string;
}

/**
 * The order to try providers in when the settings name none: MLX first on Apple silicon (fastest
 * there, and it only runs there), then Ollama, then an OpenAI-compatible server if one is set.
 */
export function defaultProviderOrder(context: OrderContext = {}): ProviderId[] {
  const platform = context.platform ?? process.platform;
  const arch = context.arch ?? process.arch;
  return [
    ...(platform === 'darwin' && arch === 'arm64' ? (['mlx'] as const) : []),
    'ollama',
    ...(context.openaiBaseUrl?.trim() ? (['openai'] as const) : []),
  ];
}

/** The providers named in `order`, in that order; unnamed ones are left out, repeated names count once. */
export function orderProviders<T extends { readonly id: string }>(providers: readonly T[], order: readonly string[]): T[] {
  const seen = new Set<string>();
  return order.flatMap((id) => {
    if (seen.has(id)) return [];
    seen.add(id);
    const provider = providers.find((candidate) => candidate.id === id);
    return provider ? [provider] : [];
  });
}
