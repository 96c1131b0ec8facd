/**
 * Masks likely secrets in source text before it is stored, full-text indexed or embedded, so a
 * key committed by mistake never reaches the index, a search result or a model. Masking never
 * adds or removes a line (ranges and citations stay exact) and keeps the names around a secret,
 * so `password = "[masked]"` still reads, and is found, as a password assignment.
 *
 * Two kinds of evidence: values shaped like a known credential (private-key blocks, cloud and
 * service tokens, JWTs, credentials in URLs) are masked anywhere; other values only when they are
 * literals assigned to a name that says secret (`password`, `api_key`, `token`, …). An expression
 * (`password = hashPassword(input)`, `token: string`) is code, not a secret, and is left alone.
 */

export const MASK = '[masked]';

/** Languages whose values are literals even unquoted (`password: hunter2` in YAML is the secret itself). */
const UNQUOTED_LITERALS = new Set(['yaml', 'toml', 'ini', 'shell', 'dockerfile', 'makefile', 'text', 'hcl']);

/** At most this much text between a key block's BEGIN and END: a 16k-bit RSA key is ~12 KB. */
const PEM_BLOCK = /(-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----)([\s\S]{0,20000}?)(-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----)/g;
/** A block cut short (no END): the base64 lines that follow it. */
const PEM_UNENDED = /(-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----)((?:\r?\n[ \t]*[A-Za-z0-9+/=]{16,}[ \t]*)+)/g;
/** Key material inside a block, or the mask already there; the letter after a backslash is an escape (`\n`), not key. */
const KEY_MATERIAL = /\[masked\]|(?<!\\)[A-Za-z0-9+/=]{4,}/g;

/** Credentials recognisable by shape alone; the kept prefix says what was there. */
const SHAPED: ReadonlyArray<{ pattern: RegExp; keep: number | RegExp }> = [
  // AWS access key ids: the four-letter type, then 16 characters.
  { pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g, keep: 4 },
  // GitHub personal, OAuth, app and refresh tokens, and fine-grained personal tokens.
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/g, keep: 4 },
  { pattern: /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g, keep: 11 },
  // Slack bot, user, app and refresh tokens.
  { pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, keep: 5 },
  // Google API keys.
  { pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, keep: 4 },
  // OpenAI and Anthropic style keys (sk-…, sk-proj-…, sk-ant-…); random, so they hold a digit.
  { pattern: /(?<![A-Za-z0-9_-])sk-(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{20,}/g, keep: /^sk-(?:ant-|proj-|svcacct-|admin-)?/ },
  // Stripe live and test secret keys.
  { pattern: /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/g, keep: 8 },
  // JSON Web Tokens: header and payload are base64 of JSON, so both begin with eyJ.
  { pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, keep: 0 },
];

/** `Authorization: Bearer <token>`; a token is long and holds a digit, a variable name (`Bearer accessToken`) neither. */
const AUTH_HEADER = /\b((?:Bearer|Basic)[ \t]+)(?=[A-Za-z0-9._~+/-]*\d)([A-Za-z0-9._~+/-]{16,}=*)/g;
/** `scheme://user:password@host`: the password. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/?#@'"`]{1,200}:)([^\s@/'"`]{1,200})@/gi;

/**
 * A name that says secret, ending an identifier (`DB_PASSWORD`, `apiKey`, `"client_secret"`),
 * then an assignment or comparison, then a value: quoted, or (group 5) a bare word.
 */
const ASSIGNMENT = new RegExp(
  '(?:password|passwd|passphrase|pass|secret[_-]?key|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)(?![A-Za-z0-9_])' +
    '(["\'`]?[ \\t]*(?:===?|!==?|:=|=>|=|:)[ \\t]*)' +
    '(?:"([^"\\s]{3,})"|\'([^\'\\s]{3,})\'|`([^`\\s]{3,})`|([^\\s"\'`#;,]{3,}))',
  'gi',
);

/**
 * Values that are not secrets: a reference to one (`${DB_PASSWORD}`, `<set-me>`), a placeholder
 * (`****`), words (`"Password"` as a label, `ACCESS_TOKEN = "access_token"` as a protocol name), a
 * version (`"jsonwebtoken": "^9.0.0"`) or a path (`SIGNIN_TOKEN = "/oauth2/v2.0/token"`).
 */
function isLiteralSecret(value: string): boolean {
  if (/^[$%{<]/.test(value) || value.includes(MASK)) return false;
  if (/^([*x.•])\1*$/i.test(value)) return false;
  if (/^[A-Za-z]+(?:[_.-][A-Za-z]+)*$/.test(value)) return false;
  if (/^[~^>=<v]*\d+(?:\.\d+)+(?:[-+][\w.-]+)?$/.test(value)) return false;
  return !/^\.{0,2}\//.test(value);
}

function maskKeyBlock(begin: string, body: string, end = ''): string {
  let first = true;
  const masked = body.replace(KEY_MATERIAL, () => {
    const mark = first ? MASK : '';
    first = false;
    return mark;
  });
  return `${begin}${masked}${end}`;
}

/** `text` with likely secrets replaced by {@link MASK}; `language` is a language id from `chunk/languages`. */
export function maskSecrets(text: string, language: string): string {
  let out = text
    .replace(PEM_BLOCK, (_m, begin: string, body: string, end: string) => maskKeyBlock(begin, body, end))
    .replace(PEM_UNENDED, (_m, begin: string, body: string) => maskKeyBlock(begin, body));
  for (const { pattern, keep } of SHAPED) {
    out = out.replace(pattern, (secret) => {
      const prefix = typeof keep === 'number' ? secret.slice(0, keep) : (keep.exec(secret)?.[0] ?? '');
      return `${prefix}${MASK}`;
    });
  }
  out = out
    .replace(AUTH_HEADER, (_m, scheme: string) => `${scheme}${MASK}`)
    .replace(URL_CREDENTIALS, (match, head: string, password: string) => (isLiteralSecret(password) ? `${head}${MASK}@` : match));
  const unquoted = UNQUOTED_LITERALS.has(language);
  return out.replace(ASSIGNMENT, (match: string, _operator: string, double?: string, single?: string, back?: string, bare?: string) => {
    const value = double ?? single ?? back ?? bare ?? '';
    if ((bare !== undefined && !unquoted) || !isLiteralSecret(value)) return match;
    return match.slice(0, match.length - value.length - (bare === undefined ? 1 : 0)) + MASK + (bare === undefined ? match.at(-1)! : '');
  });
}
