#!/usr/bin/env bash
# End-to-end tests in a real VS Code (code-server + Chromium): install the tools if missing,
# package the VSIX, run the extension-host suite and the UI scenario.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash test/e2e/setup.sh
npm run package
node test/e2e/run.mjs
