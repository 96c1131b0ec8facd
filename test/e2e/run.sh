#!/usr/bin/env bash
# End-to-end tests in a real VS Code (code-server + Chromium): install the tools if missing,
# package the VSIX, run the extension-host suite and the UI scenarios (Ferret's views; @ferret in the chat).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash test/e2e/setup.sh
npm run package
# tsx lets the UI scenario reuse the TypeScript fake Ollama from test/support.
node --import tsx test/e2e/run.mjs
