import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { EmbedderError } from '../../server/src/embed/embedder';
import { LocalEmbedder } from '../../server/src/embed/localEmbedder';

const embedder = new LocalEmbedder();

function cosine(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function norm(v: Float32Array): number {
  return Math.sqrt(cosine(v, v));
}

const CHUNKS: Record<string, string> = {
  auth: `export async function authenticateUser(username: string, password: string): Promise<Session> {
  const user = await userRepository.findByName(username);
  if (!user || !(await verifyPasswordHash(password, user.passwordHash))) {
    throw new AuthenticationError('invalid credentials');
  }
  return sessionStore.createSession(user.id);
}`,
  config: `def parse_config_file(path):
    """Read the YAML configuration and apply defaults."""
    with open(path) as handle:
        raw = yaml.safe_load(handle)
    return ConfigOptions(**{**DEFAULTS, **raw})`,
  pool: `func (p *ConnectionPool) Acquire(ctx context.Context) (*sql.Conn, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.idle) == 0 {
		return p.db.Conn(ctx)
	}
	conn := p.idle[len(p.idle)-1]
	p.idle = p.idle[:len(p.idle)-1]
	return conn, nil
}`,
  route: `router.delete('/api/orders/:orderId', requireAdmin, async (req, res) => {
  await orders.cancelOrder(req.params.orderId);
  res.status(204).end();
});`,
  matrix: `pub fn matrix_multiply(a: &Matrix, b: &Matrix) -> Matrix {
    let mut out = Matrix::zeros(a.rows, b.cols);
    for i in 0..a.rows { for j in 0..b.cols { for k in 0..a.cols {
        out[(i, j)] += a[(i, k)] * b[(k, j)];
    } } }
    out
}`,
  retry: `class RetryPolicy {
  constructor(private readonly maxAttempts = 5, private readonly backoffMs = 200) {}
  delayFor(attempt: number): number { return this.backoffMs * 2 ** attempt; }
  shouldRetry(error: unknown, attempt: number): boolean { return attempt < this.maxAttempts && isTransient(error); }
}`,
};

const QUERIES: [query: string, expected: string][] = [
  ['how does user authentication check the password', 'auth'],
  ['authenticate', 'auth'],
  ['session creation', 'auth'],
  ['where is the config file parsed', 'config'],
  ['parseConfigFile', 'config'],
  ['yaml defaults', 'config'],
  ['connection pool acquire', 'pool'],
  ['cancel an order endpoint', 'route'],
  ['multiply matrices', 'matrix'],
  ['retry with exponential backoff', 'retry'],
];

describe('LocalEmbedder', () => {
  it('names its algorithm and dimension in its id', () => {
    assert.equal(embedder.id, 'local:hash-v2:256');
    assert.equal(embedder.dimensions, 256);
    const small = new LocalEmbedder(128);
    assert.equal(small.id, 'local:hash-v2:128');
    assert.equal(small.embedOne('hello world').length, 128);
    assert.throws(() => new LocalEmbedder(0), RangeError);
  });

  it('returns one unit vector of the right dimension per text, in order', async () => {
    const texts = [CHUNKS.auth, CHUNKS.config, 'x', '', '   ', '{}();', 'const return this'];
    const vectors = await embedder.embed(texts);
    assert.equal(vectors.length, texts.length);
    for (const vector of vectors) {
      assert.ok(vector instanceof Float32Array);
      assert.equal(vector.length, 256);
      assert.ok(Math.abs(norm(vector) - 1) < 1e-5, `norm ${norm(vector)}`);
    }
    assert.deepEqual(vectors[0], embedder.embedOne(CHUNKS.auth));
    assert.deepEqual(vectors[1], embedder.embedOne(CHUNKS.config));
    assert.deepEqual(await embedder.embed([]), []);
  });

  it('maps every text without tokens to the same fixed unit vector', () => {
    const empty = embedder.embedOne('');
    assert.deepEqual(embedder.embedOne('  \n\t'), empty);
    assert.deepEqual(embedder.embedOne('{}();=>'), empty);
    assert.ok(cosine(empty, embedder.embedOne(CHUNKS.auth)) < 0.2);
  });

  it('gives the same vector for the same text, in another process too', () => {
    const text = `${CHUNKS.retry}\n${CHUNKS.config}`;
    const here = Array.from(embedder.embedOne(text));
    assert.deepEqual(Array.from(embedder.embedOne(text)), here);
    const script = `const { LocalEmbedder } = require(${JSON.stringify(resolve('server/src/embed/localEmbedder.ts'))});
process.stdout.write(JSON.stringify(Array.from(new LocalEmbedder().embedOne(process.env.TEXT))));`;
    const there = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { env: { ...process.env, TEXT: text }, encoding: 'utf8' }));
    assert.deepEqual(there, here);
  });

  it('has not changed its vectors without a new id (bump ALGORITHM if this fails on purpose)', () => {
    // Code of several languages and prose full of common words, so a change to any word list shows.
    const v = embedder.embedOne(`${Object.values(CHUNKS).join('\n')}\nThese have all been done here, but those were not yet: why could it be such a mess?`);
    const fingerprint = Array.from(v).reduce((sum, x, i) => sum + x * ((i % 7) + 1), 0).toFixed(4);
    // Indexes are kept or re-embedded by the embedder id: vectors that change under the same id
    // would be mixed with old ones in an index, and a new id over the same vectors re-embeds every index for nothing.
    const known = FINGERPRINTS[embedder.id];
    assert.ok(known !== undefined, `${embedder.id} is a new id: record its fingerprint ${fingerprint} in FINGERPRINTS`);
    assert.equal(fingerprint, known, `the vectors of ${embedder.id} changed without a new id: bump ALGORITHM in localEmbedder.ts`);
    const sameVectors = Object.keys(FINGERPRINTS).filter((id) => id !== embedder.id && FINGERPRINTS[id] === fingerprint);
    assert.deepEqual(sameVectors, [], `${embedder.id} gives the vectors of an older id, so its indexes would be re-embedded for nothing`);
  });

  it('ranks the chunk that shares identifiers and sub-words with a query first', () => {
    const chunkVectors = Object.entries(CHUNKS).map(([name, text]) => [name, embedder.embedOne(text)] as const);
    for (const [query, expected] of QUERIES) {
      const q = embedder.embedOne(query);
      const ranked = chunkVectors.map(([name, v]) => ({ name, score: cosine(q, v) })).sort((a, b) => b.score - a.score);
      assert.equal(ranked[0].name, expected, `"${query}" ranked ${ranked.map((r) => `${r.name}:${r.score.toFixed(2)}`).join(' ')}`);
      // Hash collisions give unrelated texts a cosine of about ±1/√dimensions (0.06 at 256): the winner must clear that.
      assert.ok(ranked[0].score - ranked[1].score > 0.06, `"${query}" wins by too little: ${ranked[0].score} vs ${ranked[1].score}`);
    }
  });

  it('matches camelCase, snake_case and word pieces of the same name', () => {
    const camel = embedder.embedOne('parseConfigFile');
    assert.ok(cosine(camel, embedder.embedOne('parse_config_file')) > 0.7);
    assert.ok(cosine(camel, embedder.embedOne('config file parser')) > 0.5);
    assert.ok(cosine(camel, embedder.embedOne('renderButtonLabel')) < 0.15);
    // Character n-grams: an inflected form still lands near.
    assert.ok(cosine(embedder.embedOne('authentication'), embedder.embedOne('authenticate')) > 0.35);
  });

  it('lets content words outweigh shared keywords', () => {
    const keywords = 'export const function return this const return async await function';
    const a = embedder.embedOne(`${keywords} total`);
    const b = embedder.embedOne(`${keywords} invoice`);
    assert.ok(cosine(a, b) < 0.5, `eleven shared keywords, different content word: ${cosine(a, b)}`);
    assert.ok(cosine(b, embedder.embedOne('invoice')) > 0.8, `the one content word dominates: ${cosine(b, embedder.embedOne('invoice'))}`);
    const x = embedder.embedOne('const x = function() { return this.total; }');
    const y = embedder.embedOne('const y = function() { return this.count; }');
    assert.ok(cosine(x, y) < 0.3, `same boilerplate, different subject: ${cosine(x, y)}`);
  });

  it('embedQuery equals embed of the same text', async () => {
    assert.deepEqual(await embedder.embedQuery('where is the config parsed'), embedder.embedOne('where is the config parsed'));
  });

  it('rejects with a cancelled EmbedderError when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(embedder.embed(['a', 'b'], controller.signal), (error: unknown) => error instanceof EmbedderError && error.code === 'cancelled');
    await assert.rejects(embedder.embedQuery('a', controller.signal), (error: unknown) => error instanceof EmbedderError && error.code === 'cancelled');
  });
});

/** The fingerprint of each id's vectors, oldest first; an id's entry never changes once released. */
const FINGERPRINTS: Record<string, string> = {
  'local:hash-v1:384': '6.4243',
  'local:hash-v2:384': '5.3744',
  'local:hash-v2:256': '5.0379',
};
