import type { Generation } from './generation';

/**
 * After a pass died between a commit and its catalog write, rows and catalog may disagree for
 * some files: rows the catalog does not list, or rows of a version the catalog does not record
 * (a file changed, then changed back before the restart). Those files lose both and are indexed
 * again as new, so what is stored is again exactly what the catalog says — which is what lets a
 * pass append the rows of any file the catalog does not list.
 */
export async function dropUncatalogued(target: Generation): Promise<void> {
  const stored = await target.store.idsByPath();
  const stale = new Set<string>();
  for (const [path, ids] of stored) if (!sameIds(target.catalog.get(path)?.chunkIds, ids)) stale.add(path);
  for (const path of target.catalog.paths()) if (!stored.has(path) && (target.catalog.get(path)?.chunkIds.length ?? 0) > 0) stale.add(path);
  for (const path of stale) target.catalog.delete(path);
  await target.store.deleteFiles([...stale]);
}

function sameIds(catalogued: readonly string[] | undefined, stored: readonly string[]): boolean {
  if (catalogued === undefined || catalogued.length !== stored.length) return false;
  const set = new Set(stored);
  return catalogued.every((id) => set.has(id));
}
