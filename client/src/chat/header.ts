/**
 * The chat header: which model wrote the latest answer, and whether a model can answer now, from
 * the daemon's state and what each provider's latest answer or health check showed (its
 * availability in the latest status report). Pure, tested without VS Code.
 */
import type { StatusReport } from '../../../server/src/shared/protocol';
import type { DaemonState } from '../daemon/daemonApi';
import type { ChatHeader, ChatTurn } from './chatMessages';

export function computeHeader(state: DaemonState, status: StatusReport | undefined, turns: readonly ChatTurn[]): ChatHeader {
  const latest = [...turns].reverse().find((t) => t.answeredBy !== undefined)?.answeredBy;
  const header: ChatHeader = { health: providerHealth(state, status) };
  if (latest) header.answeredBy = `${latest.model} via ${latest.provider}`;
  return header;
}

function providerHealth(state: DaemonState, status: StatusReport | undefined): ChatHeader['health'] {
  if (state === 'starting') return { kind: 'degraded', text: 'Starting…' };
  if (state !== 'running') return { kind: 'down', text: 'Daemon not running' };
  const providers = status?.providers ?? [];
  if (providers.length === 0) return { kind: 'down', text: 'No model configured: sources only' };
  const first = providers.find((p) => p.availability !== 'unavailable');
  if (!first) return { kind: 'down', text: 'No model reachable: sources only' };
  const name = `${first.model || first.id} (${first.id})`;
  if (first.breaker === 'half-open') return { kind: 'degraded', text: `${name} recovering` };
  const ready = first.availability === 'available' ? `${name} ready` : `${name} not tried yet`;
  const down = providers.filter((p) => p.availability === 'unavailable').map((p) => p.id);
  return down.length > 0 ? { kind: 'degraded', text: `${ready}; ${down.join(', ')} unavailable` } : { kind: 'ok', text: ready };
}
