/**
 * A real S3-compatible server (s3rver) on loopback, storing objects in a temp folder, with a
 * bucket and its own credentials: requests signed with other keys are refused, as S3 does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require_ = createRequire(__filename);

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

export const S3_KEY_ID = 'FERRETTESTKEYID';
/** Distinctive, so a test can search logs and status for it. */
export const S3_SECRET = 'ferret-test-secret-7f3a9c41d2';

export interface S3Server {
  endpoint: string;
  bucket: string;
  /** Where s3rver keeps the objects, to damage them on purpose. */
  directory: string;
  /** The standard environment a client of this server needs. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function startS3Server(bucket = 'ferret-shared'): Promise<S3Server> {
  const S3rver = require_('s3rver') as S3rverClass;
  const account = require_('s3rver/lib/models/account') as { DUMMY_ACCOUNT: { createKeyPair(id: string, secret: string): void } };
  account.DUMMY_ACCOUNT.createKeyPair(S3_KEY_ID, S3_SECRET);
  // Removed by close(), not by an after() hook: started from a before() hook, that would run at once.
  const root = mkdtempSync(join(tmpdir(), 'ferret-s3-'));
  const directory = join(root, 'objects');
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    directory,
    env: { AWS_ACCESS_KEY_ID: S3_KEY_ID, AWS_SECRET_ACCESS_KEY: S3_SECRET, AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: endpoint },
    close: async () => {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
