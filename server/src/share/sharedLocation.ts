/**
 * Where a shared index lives and how to reach it: an object-store URI (`s3://`, `gs://`, `az://`)
 * or a folder, and the LanceDB storage options for it. Credentials come from the standard
 * environment (read by LanceDB itself) or from `ferret.sharedIndexOptions`; they are passed to
 * LanceDB and never into a message, so nothing here may put an option value in a string.
 */
import { isAbsolute, resolve } from 'node:path';

export interface SharedLocation {
  /** What LanceDB connects to. */
  uri: string;
  /** For messages: the URI without user info or query. */
  label: string;
  storageOptions: Record<string, string>;
}

const OBJECT_STORE = /^(s3|s3a|gs|az|abfs|abfss):\/\//i;
/**
 * Without these a black-holed host keeps a request waiting for the 180 s retry budget; they bound
 * every remote call to well under the daemon's own timeouts. Settings may override them.
 */
const BOUNDED_REQUESTS: Record<string, string> = { connect_timeout: '5s', timeout: '60s', client_max_retries: '2', retry_timeout: '20s' };

/**
 * Resolves `uri` (relative folders against `cwd`) with `options` (`key=value` strings from
 * settings); throws one sentence, without any value, when an option is malformed.
 */
export function sharedLocation(uri: string, options: readonly string[], env: NodeJS.ProcessEnv, cwd: string): SharedLocation {
  const trimmed = uri.trim();
  if (!trimmed) throw new Error('The shared index location is empty.');
  const remote = OBJECT_STORE.test(trimmed);
  const fileUrl = trimmed.startsWith('file://');
  if (!remote && !fileUrl && /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    throw new Error(`The shared index location ${labelOf(trimmed)} is not supported; use s3://, gs://, az:// or a folder.`);
  }
  const path = fileUrl ? new URL(trimmed).pathname : trimmed;
  const target = remote ? trimmed.replace(/\/+$/, '') : isAbsolute(path) ? path : resolve(cwd, path);
  const storageOptions: Record<string, string> = remote ? { ...BOUNDED_REQUESTS } : {};
  for (const option of options) {
    const eq = option.indexOf('=');
    const key = option.slice(0, eq).trim();
    if (eq <= 0 || !key) throw new Error(`A shared index option must read key=value; one starting "${option.slice(0, 12).replace(/=.*/, '')}" does not.`);
    storageOptions[key.toLowerCase()] = option.slice(eq + 1).trim();
  }
  if (remote && storageOptions.allow_http === undefined) {
    const endpoint = storageOptions.endpoint ?? storageOptions.aws_endpoint ?? storageOptions.aws_endpoint_url ?? env.AWS_ENDPOINT_URL ?? env.AWS_ENDPOINT;
    // An S3-compatible server on plain HTTP (MinIO on a LAN) is refused with BadScheme unless allowed.
    if (endpoint?.startsWith('http://')) storageOptions.allow_http = 'true';
  }
  return { uri: target, label: remote ? labelOf(target) : target, storageOptions };
}

/** The URI as messages show it: no `user:password@`, no query string (a SAS token would sit there). */
export function labelOf(uri: string): string {
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1').replace(/[?#].*$/, '');
}

/**
 * The location of one workspace folder's index: the URI itself for a single-folder workspace, so
 * clones under any folder name share it; a subfolder named after each folder otherwise.
 */
export function folderLocation(location: SharedLocation, folderName: string, folderCount: number): SharedLocation {
  if (folderCount <= 1) return location;
  const safe = encodeURIComponent(folderName);
  return { ...location, uri: `${location.uri}/${safe}`, label: `${location.label}/${safe}` };
}
