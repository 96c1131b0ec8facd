import type { ConfigurationMiddleware, LSPAny } from 'vscode-languageclient/node';
import type { FerretSettings } from '../../../server/src/shared/protocol';

/** The section the daemon pulls; named once here and in the daemon's connection. */
export const FERRET_SECTION = 'ferret';

/**
 * Answers the daemon's `workspace/configuration` pulls of the `ferret` section with the
 * translated settings (readSettings, the one translator) instead of raw editor values, so the
 * daemon sees the same shape whether it was started by the extension or the CLI. Other
 * sections go to the default handler.
 */
export function ferretConfiguration(read: () => Partial<FerretSettings>): NonNullable<ConfigurationMiddleware['configuration']> {
  return async (params, token, next) => {
    const others = params.items.some((item) => item.section !== FERRET_SECTION) ? await next(params, token) : [];
    // A ResponseError from the default handler is passed on as is.
    if (!Array.isArray(others)) return others;
    return params.items.map((item, i): LSPAny => (item.section === FERRET_SECTION ? read() : (others[i] ?? null)));
  };
}
