/**
 * Bounds on calls to a shared index. LanceDB's own timeouts (see sharedLocation.ts) bound each
 * HTTP request; these bound a whole call, so a server that accepts and then stalls, or a
 * retry loop, never holds up indexing. A timed-out native call is left to finish on its own.
 */
import * as lancedb from '@lancedb/lancedb';
import type { SharedLocation } from './sharedLocation';

/** Thrown when a call outlives its bound: the message is one sentence fragment for status. */
export class RemoteTimeout extends Error {}

export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RemoteTimeout(`${what} did not answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([work, bound]).finally(() => clearTimeout(timer));
}

export function connectShared(location: SharedLocation, ms: number): Promise<lancedb.Connection> {
  return withTimeout(lancedb.connect(location.uri, { storageOptions: location.storageOptions }), ms, 'the shared index');
}

/** Environment variables whose values must never reach a message. */
const SECRET_ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AZURE_STORAGE_ACCOUNT_KEY', 'AZURE_STORAGE_SAS_TOKEN', 'GOOGLE_SERVICE_ACCOUNT_KEY'];

/** Storage option keys that hold credentials (aws_secret_access_key, azure_storage_sas_key, ...). */
const SECRET_OPTION = /key|secret|token|pass|sas|cred/i;

/**
 * The first line of a LanceDB error, short: its messages can run to a backtrace. Any option or
 * credential value that an error might echo is blotted out, whatever the store.
 */
export function remoteReason(error: unknown, location: SharedLocation, env: NodeJS.ProcessEnv = process.env): string {
  if (error instanceof RemoteTimeout) return error.message;
  // LanceDB chains causes on one line, each with a source location: keep the first and the root cause.
  const causes = (error instanceof Error ? error.message : String(error))
    .split(/\s*Caused by:\s*/)
    .map((part) => part.replace(/,?\s*\/\S+\.rs:\d+:\d+/g, '').trim())
    .filter(Boolean);
  let text = causes.length > 1 ? `${causes[0]} (${causes[causes.length - 1]})` : (causes[0] ?? 'unknown error');
  text = text.split('\n')[0]!;
  const options = Object.entries(location.storageOptions).filter(([key]) => SECRET_OPTION.test(key)).map(([, value]) => value);
  const secrets = [...options, ...SECRET_ENV.map((name) => env[name] ?? '')].filter((value) => value.length >= 4);
  for (const secret of secrets) text = text.split(secret).join('***');
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
