/**
 * The notices above the conversation, derived from the daemon's state and its latest status
 * report. Each says what is going on and what the user can do. Pure, tested without VS Code.
 */
import type { StatusReport } from '../../../server/src/shared/protocol';
import type { DaemonState } from '../daemon/daemonApi';
import type { Banner } from './chatMessages';

export function computeBanners(state: DaemonState, status: StatusReport | undefined): Banner[] {
  switch (state) {
    case 'failed':
      return [{
        kind: 'daemon-down',
        text: 'The Ferret daemon stopped after repeated crashes, so questions cannot be answered. Open the logs to see why, then restart it.',
        actions: ['openLogs', 'restartDaemon'],
      }];
    case 'stopped':
      return [{ kind: 'daemon-down', text: 'The Ferret daemon is not running. Restart it to ask questions.', actions: ['restartDaemon', 'openLogs'] }];
    case 'starting':
      return [{ kind: 'starting', text: 'Ferret is starting; you can ask as soon as it is ready.', actions: [] }];
    case 'running':
      return status ? [...noModelBanner(status), ...indexingBanner(status)] : [];
  }
}

function indexingBanner(status: StatusReport): Banner[] {
  const busy = status.folders.filter((f) => f.state === 'scanning' || f.state === 'indexing' || f.state === 'starting');
  if (busy.length === 0) return [];
  const done = busy.reduce((sum, f) => sum + (f.progress?.done ?? 0), 0);
  const total = busy.reduce((sum, f) => sum + (f.progress?.total ?? 0), 0);
  const text = total > 0
    ? `Indexing ${done}/${total} files — answers may be incomplete until it finishes.`
    : 'Scanning the workspace — answers may be incomplete until indexing finishes.';
  return [{ kind: 'indexing', text, actions: ['showStatus'] }];
}

/** No provider configured, or every provider unavailable when last tried: answers will be sources only. */
function noModelBanner(status: StatusReport): Banner[] {
  if (status.providers.some((p) => p.availability !== 'unavailable')) return [];
  const ollama = status.providers.find((p) => p.id === 'ollama');
  const pull = ollama?.model ? `ollama pull ${ollama.model}` : 'ollama pull <model>';
  return [{
    kind: 'no-model',
    text: `No language model is reachable, so answers list the matching sources only. Start Ollama (\`ollama serve\`) and pull a chat model (\`${pull}\`), or set "ferret.providers".`,
    actions: ['showStatus', 'openLogs'],
  }];
}
