/** The `--help` text. Kept beside the parser's flag table; docs/cli.md mirrors it. */
export const USAGE = `Usage: ferret <command> [options]

Commands:
  index                 Bring the index of the workspace up to date and print a summary.
  search "query"        Update the index (only what changed), then print the best matching ranges.
  ask "question"        Update the index, then answer from it with a local model, citing path:start-end.
                        With no model reachable, prints the most relevant ranges (sources only).
  symbols NAME          Update the index, then print where NAME (or Class.name) is defined and
                        which functions, methods and classes use it.
  status                Print the daemon's view of the index, the embedder and the chat providers.
  serve --stdio         Run the Ferret daemon on standard input/output (for editors and tools).
  mcp                   Run a Model Context Protocol server on standard input/output for AI agents
                        (tools search_codebase, find_symbol, find_references, ask_codebase,
                        index_status, reindex); it keeps
                        the index current by watching the workspace. Logs go to stderr only.

Options:
  --workspace DIR       Folder to index and search (default: the current folder).
  --index-dir DIR       Where to keep the index (default: a per-workspace folder in your cache dir).
  --embedder NAME       local, ollama, openai or auto (default: the daemon's setting, auto).
  --json                Machine-readable output (index, search, ask, symbols, status).
  --full                index: drop the index and build it again.
  --publish URI         index: then copy the index to URI (s3://bucket/prefix, gs://…, az://… or a
                        folder) for teammates and CI; readers switch to it only once it is complete.
  --shared-index URI    Seed an empty index from an index published to URI: files whose content
                        matches are copied, the rest indexed locally (ferret.sharedIndex).
  --k N, -k N           search: how many ranges to return (default 10); ask: how many sources (default 8);
                        symbols: at most N definitions and N references (default 100).
  --path GLOB           search: only paths matching GLOB (repeatable), e.g. --path 'src/**'.
  --lang ID             search: only this language (repeatable), e.g. --lang typescript.
  --stdin               search: read one query per line from standard input, print one JSON line each.
  --metrics-port N      serve: Prometheus metrics on http://127.0.0.1:N/metrics, plus /healthz
                        and /readyz (0 picks a free port; the address is printed on stderr).
  --verbose             Show daemon logs, and stack traces on errors.
  -h, --help            Show this help.
  --version             Print the version.

Exit codes: 0 success, 1 failure (daemon error or crash), 2 bad command line,
3 status: the index is not ready to answer searches in full (the reason is printed).
`;
