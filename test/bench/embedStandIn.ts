// Stand-in GPU embedding servers for `npm run bench:embed`, in a process of their own so that
// their work is not charged to the embedder being measured. Argument: JSON { api: 'ollama' |
// 'openai', servers, slots, ms, dimensions }. Prints one line of JSON with the servers' URLs, then
// serves until its stdin closes. The bench starts a fresh one per measurement, so what the
// servers record never piles up.
//
// A GPU server's time goes into the model, which `servingCapacity` stands in for; serialising
// the vectors is a small part of it. So every text gets the same vector, serialised once, and a
// reply costs this process next to nothing: the figures measure the client, not this process.
import type { ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import { fakeEmbedding, inputTexts, servingCapacity, type RecordedRequest } from '../support/fakeHttp';
import { FakeOllama } from '../support/fakeOllama';
import { FakeOpenAI } from '../support/fakeOpenAI';

interface StandInOptions {
  api: 'ollama' | 'openai';
  servers: number;
  slots: number;
  ms: number;
  dimensions: number;
}

/** The vector in both of the OpenAI API's encodings, as JSON values ready to splice into a reply. */
interface Encoded {
  float: string;
  base64: string;
}

function reply(api: StandInOptions['api'], vector: Encoded): (request: RecordedRequest, response: ServerResponse) => void {
  return (request, response) => {
    const count = inputTexts(request.body).length;
    const base64 = (request.body as { encoding_format?: unknown }).encoding_format === 'base64';
    const one = base64 ? vector.base64 : vector.float;
    const body =
      api === 'ollama'
        ? `{"model":"nomic-embed-text","embeddings":[${Array.from({ length: count }, () => vector.float).join(',')}]}`
        : `{"object":"list","model":"text-embedding-3-small","data":[${Array.from({ length: count }, (_, index) => `{"object":"embedding","index":${index},"embedding":${one}}`).join(',')}]}`;
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  };
}

async function main(options: StandInOptions): Promise<void> {
  const start = () => (options.api === 'ollama' ? FakeOllama.start({ dimensions: options.dimensions }) : FakeOpenAI.start({ dimensions: options.dimensions }));
  const servers = await Promise.all(Array.from({ length: options.servers }, start));
  const numbers = fakeEmbedding('stand-in', options.dimensions);
  const vector = { float: JSON.stringify(numbers), base64: JSON.stringify(Buffer.from(new Float32Array(numbers).buffer).toString('base64')) };
  const paces = servers.map(() => servingCapacity(options.slots, options.ms));
  for (const [i, server] of servers.entries()) {
    server.pace = paces[i];
    server.always(options.api === 'ollama' ? '/api/embed' : '/v1/embeddings', { kind: 'custom', handle: reply(options.api, vector) });
  }
  const urls = servers.map((server) => (server instanceof FakeOpenAI ? server.baseUrl : server.url));
  process.stdout.write(`${JSON.stringify({ urls })}\n`);
  createInterface({ input: process.stdin }).on('line', () => process.stdout.write(`${paces.reduce((sum, pace) => sum + pace.slotMs, 0)}\n`));
  process.stdin.on('end', () => void Promise.all(servers.map((server) => server.close())).then(() => process.exit(0)));
}

void main(JSON.parse(process.argv[2] ?? '{}') as StandInOptions);
