/**
 * How the daemon uses share/: a seeder for its folders when `ferret.sharedIndex` is set, and
 * `ferret/publish` over every folder. Each folder of a multi-root workspace has its own place
 * under the location (see {@link folderLocation}).
 */
import { basename } from 'node:path';
import type { FolderIndex } from '../index/folderIndex';
import type { Seeder } from '../index/seeder';
import type { FerretSettings, PublishResult } from '../shared/protocol';
import { headCommit } from './gitCommit';
import { publishIndex } from './publish';
import { seedFromShared } from './seed';
import { folderLocation, sharedLocation, type SharedLocation } from './sharedLocation';

interface Context {
  settings: FerretSettings;
  folderCount: number;
  embedder: { id: string; dimensions: number };
  env?: NodeJS.ProcessEnv;
}

/** The seeder for `settings.sharedIndex`, or undefined when none is set. */
export function sharedSeeder(context: Context): Seeder | undefined {
  const { settings } = context;
  if (!settings.sharedIndex.trim()) return undefined;
  return async (folder, target, files, signal) => {
    let location: SharedLocation;
    try {
      location = locate(settings.sharedIndex, settings, context, folder);
    } catch (error) {
      return { files: 0, chunks: 0, sentence: `${(error as Error).message.replace(/\.$/, '')}; the workspace is indexed locally.` };
    }
    return seedFromShared({
      root: folder,
      files,
      store: target.store,
      catalog: target.catalog,
      // The generation's own embedder: a rebuild for a new embedder seeds only from an index of that one.
      embedder: { id: target.meta.embedderId, dimensions: target.meta.dimensions },
      maxFileSize: settings.maxFileSize,
      location,
      ...(signal ? { signal } : {}),
    });
  };
}

export async function publishFolders(folders: readonly FolderIndex[], where: string, context: Context, log: (message: string) => void): Promise<PublishResult> {
  const published = [];
  for (const folder of folders) {
    const location = locate(where, context.settings, context, folder.folder);
    const commit = await headCommit(folder.folder);
    published.push(await folder.readLive((live) => publishIndex({ folder: folder.folder, indexDir: folder.indexDir, live, location, commit, log })));
    log(`Published the index of ${folder.folder} to ${location.label}.`);
  }
  return { published };
}

function locate(uri: string, settings: FerretSettings, context: Context, folder: string): SharedLocation {
  const location = sharedLocation(uri, settings.sharedIndexOptions, context.env ?? process.env, process.cwd());
  return folderLocation(location, basename(folder), context.folderCount);
}
