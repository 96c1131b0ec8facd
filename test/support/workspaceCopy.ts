import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './tempDir';

export const FIXTURE_WORKSPACE = join(__dirname, '..', 'fixtures', 'workspace');

/** A private copy of the fixture workspace that a test may change, plus an index dir beside it. */
export function copyWorkspace(): { workspace: string; indexDir: string } {
  const root = tempDir();
  const workspace = join(root, 'workspace');
  cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
  return { workspace, indexDir: join(root, 'index') };
}
