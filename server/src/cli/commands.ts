import { createInterface } from 'node:readline';
import type { FerretSettings, ReindexResult, SearchParams, StatusReport } from '../shared/protocol';
import type { CliCommand } from './args';
import { checkWorkspace, type CommonOptions } from '../daemonClient/workspaceOptions';
import { DaemonClient } from '../daemonClient/daemonClient';
import { formatAnswerEnd, formatHits, stripControl, formatStatus, formatSummaries, searchJsonLine } from '../daemonClient/format';
import { formatSymbols, symbolReport } from '../daemonClient/symbolFormat';
import { ProgressBar } from './progressBar';
import { styleFor } from '../daemonClient/style';

/** The process streams a command uses, injectable so tests can drive commands in-process. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

type DaemonCommand = Extract<CliCommand, { kind: 'index' | 'search' | 'ask' | 'symbols' | 'status' }>;

/** Runs index, search or status against a fresh daemon; resolves to the exit code. */
export async function runDaemonCommand(command: DaemonCommand, io: CliIo, serverPath?: string): Promise<number> {
  const { common } = command;
  checkWorkspace(common.workspace);
  const client = await DaemonClient.start({
    workspace: common.workspace,
    settings: settingsFor(common),
    ...(serverPath ? { serverPath } : {}),
    ...(common.verbose ? { onStderrLine: (line: string) => io.stderr.write(`[daemon] ${line}\n`) } : {}),
  });
  if (common.verbose) client.onLog((log) => io.stderr.write(`[daemon log] ${log.message}\n`));
  try {
    switch (command.kind) {
      case 'index':
        return await runIndex(client, command, io);
      case 'search':
        return await runSearch(client, command, io);
      case 'ask':
        return await runAsk(client, command, io);
      case 'symbols':
        return await runSymbols(client, command, io);
      case 'status':
        return await runStatus(client, common, io);
    }
  } finally {
    await client.shutdown();
  }
}

/** One-shot commands neither watch nor index on their own: they ask for exactly one pass. */
function settingsFor(common: CommonOptions): Partial<FerretSettings> {
  return {
    watch: false,
    autoIndex: false,
    ...(common.indexDir !== undefined ? { indexDir: common.indexDir } : {}),
    ...(common.embedder !== undefined ? { embedder: common.embedder } : {}),
    ...(common.sharedIndex !== undefined ? { sharedIndex: common.sharedIndex } : {}),
  };
}

async function runIndex(client: DaemonClient, command: Extract<CliCommand, { kind: 'index' }>, io: CliIo): Promise<number> {
  const { common } = command;
  const result = await reindexWithProgress(client, command.full, io);
  const published = command.publish !== undefined ? (await client.publish({ location: command.publish })).published : undefined;
  if (common.json) {
    io.stdout.write(`${JSON.stringify(published ? { ...result, published } : result)}\n`);
    return 0;
  }
  io.stdout.write(formatSummaries(result.summaries, styleFor(io.stdout, io.env)));
  for (const p of published ?? []) io.stdout.write(`Published ${p.files} files (${p.chunks} chunks) of ${p.folder} to ${p.location}${p.commit ? ` at commit ${p.commit.slice(0, 12)}` : ''}.\n`);
  return 0;
}

async function runSearch(client: DaemonClient, command: Extract<CliCommand, { kind: 'search' }>, io: CliIo): Promise<number> {
  await reindexWithProgress(client, false, io);
  const params = (query: string): SearchParams => ({
    query,
    ...(command.k !== undefined ? { k: command.k } : {}),
    ...(command.paths.length > 0 ? { paths: command.paths } : {}),
    ...(command.languages.length > 0 ? { languages: command.languages } : {}),
  });
  if (command.stdin) {
    for await (const line of createInterface({ input: io.stdin, crlfDelay: Infinity })) {
      const query = line.trim();
      if (query === '') continue;
      io.stdout.write(`${searchJsonLine(query, await client.search(params(query)))}\n`);
    }
    return 0;
  }
  const query = command.query!;
  const result = await client.search(params(query));
  if (command.common.json) {
    io.stdout.write(`${searchJsonLine(query, result)}\n`);
    return 0;
  }
  if (result.mode === 'fulltext') {
    io.stderr.write(`${styleFor(io.stderr, io.env).yellow(`Full-text search only${result.modeReason ? `: ${result.modeReason}` : '.'}`)}\n`);
  }
  io.stdout.write(formatHits(result, styleFor(io.stdout, io.env)));
  return 0;
}

async function runAsk(client: DaemonClient, command: Extract<CliCommand, { kind: 'ask' }>, io: CliIo): Promise<number> {
  await reindexWithProgress(client, false, io);
  const json = command.common.json;
  let streamed = false;
  const result = await client.ask({ question: command.question, ...(command.k !== undefined ? { k: command.k } : {}) }, (text) => {
    if (json) return;
    streamed = true;
    io.stdout.write(stripControl(text));
  });
  if (json) {
    io.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  }
  if (result.sourcesOnly) {
    io.stderr.write(`${styleFor(io.stderr, io.env).yellow(result.sourcesOnlyReason ?? 'No model answered.')}\n`);
  }
  io.stdout.write(formatAnswerEnd(result, streamed, styleFor(io.stdout, io.env)));
  return 0;
}

async function runSymbols(client: DaemonClient, command: Extract<CliCommand, { kind: 'symbols' }>, io: CliIo): Promise<number> {
  await reindexWithProgress(client, false, io);
  const params = { name: command.name, ...(command.limit !== undefined ? { limit: command.limit } : {}) };
  const [definitions, references] = await Promise.all([client.definitions(params), client.references(params)]);
  const report = symbolReport(definitions, references);
  io.stdout.write(command.common.json ? `${JSON.stringify(report)}\n` : formatSymbols(report, styleFor(io.stdout, io.env)));
  return 0;
}

/** `ferret status` exits with this when the index cannot answer searches in full yet, so scripts can wait on it. */
export const NOT_READY_EXIT_CODE = 3;

async function runStatus(client: DaemonClient, common: CommonOptions, io: CliIo): Promise<number> {
  const report = await client.status();
  io.stdout.write(common.json ? `${JSON.stringify(report)}\n` : formatStatus(report, styleFor(io.stdout, io.env)));
  return report.ready ? 0 : NOT_READY_EXIT_CODE;
}

/** `ferret/reindex`, with a progress bar on stderr when it is a terminal. */
async function reindexWithProgress(client: DaemonClient, full: boolean, io: CliIo): Promise<ReindexResult> {
  if (io.stderr.isTTY !== true) return client.reindex({ full });
  const bar = new ProgressBar(io.stderr, full ? 'Rebuilding' : 'Indexing');
  // Status notifications carry file counts; work-done progress only a percentage, so it is the fallback.
  let counted = false;
  const offStatus = client.onStatus((report) => {
    const progress = totalProgress(report);
    if (!progress) return;
    counted = true;
    bar.update(progress.done, progress.total);
  });
  const offProgress = client.onProgress((event) => {
    if (!counted && event.kind !== 'end' && event.percentage !== undefined) bar.percent(event.percentage, event.message);
  });
  try {
    return await client.reindex({ full });
  } finally {
    offStatus();
    offProgress();
    bar.finish();
  }
}

function totalProgress(report: StatusReport): { done: number; total: number } | undefined {
  const running = report.folders.flatMap((folder) => (folder.progress ? [folder.progress] : []));
  if (running.length === 0) return undefined;
  return running.reduce((sum, p) => ({ done: sum.done + p.done, total: sum.total + p.total }), { done: 0, total: 0 });
}
