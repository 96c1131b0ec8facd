import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MASK, maskSecrets } from '../../server/src/text/secretMasker';

// Fakes in the shape of real credentials (AWS's own documentation examples where there are some).
const AWS_ID = 'AKIAIOSFODNN7EXAMPLE';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const GITHUB = 'ghp_0123456789abcdefghijABCDEFGHIJ012345';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const KEY_LINES = ['MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun', 'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK', 'LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo', '9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvre'];

function keyBlock(eol = '\n'): string {
  return ['-----BEGIN RSA PRIVATE KEY-----', ...KEY_LINES, 'Mw==', '-----END RSA PRIVATE KEY-----'].join(eol);
}

function assertMasked(input: string, language: string, secrets: readonly string[], expected?: string): string {
  const out = maskSecrets(input, language);
  for (const secret of secrets) assert.ok(!out.includes(secret), `${JSON.stringify(secret)} is masked in ${JSON.stringify(out)}`);
  assert.equal(out.split('\n').length, input.split('\n').length, 'same number of lines');
  if (expected !== undefined) assert.equal(out, expected);
  assert.equal(maskSecrets(out, language), out, 'masking masked text changes nothing');
  return out;
}

test('maskSecrets: a private-key block keeps its BEGIN and END lines and its line count', () => {
  const file = `const config = {};\n${keyBlock()}\nexport default config;\n`;
  assertMasked(file, 'typescript', KEY_LINES, `const config = {};\n-----BEGIN RSA PRIVATE KEY-----\n${MASK}\n\n\n\n\n-----END RSA PRIVATE KEY-----\nexport default config;\n`);
  const crlf = assertMasked(keyBlock('\r\n'), 'text', KEY_LINES);
  assert.equal(crlf.split('\r\n').length, 7);
  for (const kind of ['', 'EC ', 'OPENSSH ', 'ENCRYPTED ', 'DSA ']) {
    assertMasked(keyBlock().replaceAll('RSA ', kind), 'text', KEY_LINES);
  }
  assertMasked(keyBlock().replaceAll('RSA PRIVATE KEY', 'PGP PRIVATE KEY BLOCK'), 'text', KEY_LINES);
});

test('maskSecrets: a key inside a string literal keeps the string valid; a key cut short is still masked', () => {
  const json = `{"type": "service_account", "private_key": "${keyBlock().replaceAll('\n', '\\n')}\\n", "client_email": "x@y.iam"}`;
  const out = assertMasked(json, 'json', KEY_LINES);
  assert.deepEqual(Object.keys(JSON.parse(out) as object), ['type', 'private_key', 'client_email']);
  assert.match(out, /"-----BEGIN RSA PRIVATE KEY-----\\n\[masked\]\\n(\\n)+-----END RSA PRIVATE KEY-----\\n"/);
  const joined = `const key =\n  "-----BEGIN PRIVATE KEY-----\\n" +\n${KEY_LINES.map((l) => `  "${l}\\n" +`).join('\n')}\n  "-----END PRIVATE KEY-----\\n";\n`;
  assert.match(assertMasked(joined, 'javascript', KEY_LINES), /^ {2}"\[masked\]\\n" \+$/m);
  const truncated = ['-----BEGIN OPENSSH PRIVATE KEY-----', ...KEY_LINES].join('\n');
  assertMasked(truncated, 'text', KEY_LINES, `-----BEGIN OPENSSH PRIVATE KEY-----\n${MASK}\n\n\n`);
});

test('maskSecrets: credentials recognised by their shape, anywhere, keep the prefix that names them', () => {
  const cases: Array<[string, string, string]> = [
    [`aws_id = ${AWS_ID}`, AWS_ID, `aws_id = AKIA${MASK}`],
    [`const id = "ASIAY34FZKBOKMUTVV7A";`, 'ASIAY34FZKBOKMUTVV7A', `const id = "ASIA${MASK}";`],
    [`git clone https://${GITHUB}@github.com/o/r`, GITHUB, `git clone https://ghp_${MASK}@github.com/o/r`],
    ['auth: github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP', 'github_pat_11ABCDEFG0123456789_abcdef', `auth: github_pat_${MASK}`],
    ['SLACK = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"', 'xoxb-123456789012', `SLACK = "xoxb-${MASK}"`],
    ['maps("AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q")', 'AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q', `maps("AIza${MASK}")`],
    ['openai.key = sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z', 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z', `openai.key = sk-proj-${MASK}`],
    ['new Anthropic({ apiKey: "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe_-dcBA" })', 'sk-ant-api03', `new Anthropic({ apiKey: "sk-ant-${MASK}" })`],
    ['stripe("sk_live_4eC39HqLyjWDarjtT1zdp7dc")', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', `stripe("sk_live_${MASK}")`],
    [`headers: { cookie: "${JWT}" }`, JWT, `headers: { cookie: "${MASK}" }`],
    ['curl -H "Authorization: Bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0"', '9f8e7d6c5b4a', `curl -H "Authorization: Bearer ${MASK}"`],
    ['DATABASE_URL=postgres://app:S3cr3t-Pa55@db.internal:5432/app', 'S3cr3t-Pa55', `DATABASE_URL=postgres://app:${MASK}@db.internal:5432/app`],
    ['mongo = "mongodb+srv://admin:hunter2@cluster0.example.net/test"', 'hunter2', `mongo = "mongodb+srv://admin:${MASK}@cluster0.example.net/test"`],
  ];
  for (const [input, secret, expected] of cases) assertMasked(input, 'typescript', [secret], expected);
});

test('maskSecrets: literal values assigned to secret names are masked, the names kept', () => {
  const cases: Array<[string, string, string, string]> = [
    ['python', 'DB_PASSWORD = "correct-h0rse"', 'correct-h0rse', `DB_PASSWORD = "${MASK}"`],
    ['python', "connect(host='db', password='pa55word!')", 'pa55word!', `connect(host='db', password='${MASK}')`],
    ['typescript', 'const apiKey = `k3y-123-abc`;', 'k3y-123-abc', `const apiKey = \`${MASK}\`;`],
    ['json', '{ "client_secret": "Zq8!x2Lr", "name": "app" }', 'Zq8!x2Lr', `{ "client_secret": "${MASK}", "name": "app" }`],
    ['php', "'password' => 'T0ps3cret',", 'T0ps3cret', `'password' => '${MASK}',`],
    ['go', 'cfg := Config{Token: "tok_9f8e7d6c"}', 'tok_9f8e7d6c', `cfg := Config{Token: "${MASK}"}`],
    ['go', 'secretKey := "abc123xyz"', 'abc123xyz', `secretKey := "${MASK}"`],
    ['java', 'if (password.equals("x")) {} else if (passwd == "letmein1") {}', 'letmein1', `if (password.equals("x")) {} else if (passwd == "${MASK}") {}`],
    ['yaml', `aws_secret_access_key: ${AWS_SECRET}`, AWS_SECRET, `aws_secret_access_key: ${MASK}`],
    ['yaml', 'database:\n  password: hunter2  # rotate monthly', 'hunter2', `database:\n  password: ${MASK}  # rotate monthly`],
    ['ini', 'db.password=hunter2', 'hunter2', `db.password=${MASK}`],
    ['shell', 'export GITHUB_TOKEN=abc123def456', 'abc123def456', `export GITHUB_TOKEN=${MASK}`],
    ['toml', 'api_key = "0123abcd"', '0123abcd', `api_key = "${MASK}"`],
    ['text', 'passphrase: 7rainbow7', '7rainbow7', `passphrase: ${MASK}`],
  ];
  for (const [language, input, secret, expected] of cases) assertMasked(input, language, [secret], expected);
});

test('maskSecrets: ordinary code about secrets is left exactly as it is', () => {
  const code = [
    'const password = hashPassword(input);',
    'const password = req.body.password;',
    'function login(token: string, password: string): boolean {',
    '  if (token === "") return false;',
    '  const tokenType = "Bearer";',
    '  headers.Authorization = `Bearer ${token}`;',
    '  headers.Authorization = "Bearer " + accessToken;',
    '  const passwordHint = "your first pet";',
    '  const labels = { password: "Password", token: "Token", secret: "Secret" };',
    '  const secret = process.env.APP_SECRET;',
    '  const url = `postgres://${user}:${pass}@${host}/db`;',
    '  const docs = "https://example.com:8080/path@v2";',
    '  const key = createHash("sha256").update(password).digest("hex");',
    '  return verify(token, { api_key: config.apiKey, secret: undefined, password: null });',
    '}',
    'const sk = "sk-is-not-a-key-without-digits-at-all";',
    '# password: ${DB_PASSWORD}',
  ].join('\n');
  assert.equal(maskSecrets(code, 'typescript'), code);
  const yaml = 'password: ${DB_PASSWORD}\ntoken: "{{ vault_token }}"\nsecret: <set-me>\napi_key: ~\npassword: ********\ntoken: string\n';
  assert.equal(maskSecrets(yaml, 'yaml'), yaml);
  const prose = 'Set the password in the settings page; the token expires after an hour.\n';
  assert.equal(maskSecrets(prose, 'markdown'), prose);
});

// Catastrophic backtracking would run for minutes: the test's own timeout is the only bound.
test('maskSecrets: a megabyte of dense, secret-looking text and an unterminated key block finish', { timeout: 60_000 }, () => {
  const lines = Array.from({ length: 20_000 }, (_, i) => `password${i}: "${'x'.repeat(10)}" token = sk-${i} ${'AKIA'.repeat(5)} eyJ.eyJ.${'/'.repeat(8)}`);
  const out = maskSecrets(lines.join('\n'), 'yaml');
  assert.equal(out.split('\n').length, lines.length);
  const blob = 'A'.repeat(1_000_000);
  assert.equal(maskSecrets(`-----BEGIN PRIVATE KEY-----${blob}`, 'text'), `-----BEGIN PRIVATE KEY-----${blob}`);
  assert.equal(maskSecrets(`${'-----BEGIN PRIVATE KEY-----\n'.repeat(2000)}`, 'text').length, 2000 * 28);
});
