import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CloseAction, ErrorAction } from 'vscode-languageclient/node';
import { CrashPolicy, MAX_RESTARTS, RESTART_WINDOW_MS } from '../../client/src/daemon/crashPolicy';

const MINUTE = 60_000;

/** A policy on a hand-moved clock, counting what it asked for. */
function policy(start = 1_000_000) {
  const calls = { restarts: 0, giveUps: 0 };
  const clock = { now: start };
  const crash = new CrashPolicy(() => calls.restarts++, () => calls.giveUps++, () => clock.now);
  return { crash, calls, clock };
}

test('the policy allows 4 restarts in 3 minutes', () => {
  assert.equal(MAX_RESTARTS, 4);
  assert.equal(RESTART_WINDOW_MS, 3 * MINUTE);
});

test('four crashes inside the window restart; the fifth gives up with one message', () => {
  const { crash, calls, clock } = policy();
  for (let i = 0; i < 4; i++) {
    assert.equal(crash.closed().action, CloseAction.Restart);
    clock.now += 30_000;
  }
  assert.deepEqual(calls, { restarts: 4, giveUps: 0 });
  const fifth = crash.closed();
  assert.equal(fifth.action, CloseAction.DoNotRestart);
  assert.equal(fifth.handled, true, 'handled: the client adds no message of its own');
  assert.deepEqual(calls, { restarts: 4, giveUps: 1 });
});

test('crashes spread wider than the window keep being restarted', () => {
  const { crash, calls, clock } = policy();
  for (let i = 0; i < 12; i++) {
    assert.equal(crash.closed().action, CloseAction.Restart, `crash ${i + 1}`);
    clock.now += RESTART_WINDOW_MS / MAX_RESTARTS + 1;
  }
  assert.deepEqual(calls, { restarts: 12, giveUps: 0 });
});

test('a crash counts against the budget until it is more than 3 minutes old', () => {
  const { crash, calls, clock } = policy();
  const first = clock.now;
  for (let i = 0; i < 4; i++) {
    crash.closed();
    clock.now += 1000;
  }
  clock.now = first + RESTART_WINDOW_MS; // the first crash is exactly 3 minutes old: still inside
  assert.equal(crash.closed().action, CloseAction.DoNotRestart);
  const again = policy(first);
  for (let i = 0; i < 4; i++) {
    again.crash.closed();
    again.clock.now += 1000;
  }
  again.clock.now = first + RESTART_WINDOW_MS + 1; // now it has left the window
  assert.equal(again.crash.closed().action, CloseAction.Restart);
  assert.deepEqual(calls, { restarts: 4, giveUps: 1 });
  assert.deepEqual(again.calls, { restarts: 5, giveUps: 0 });
});

test('a restart the user asks for starts a fresh budget', () => {
  const { crash, calls } = policy();
  for (let i = 0; i < 4; i++) crash.closed();
  crash.reset();
  for (let i = 0; i < 4; i++) assert.equal(crash.closed().action, CloseAction.Restart);
  assert.equal(crash.closed().action, CloseAction.DoNotRestart);
  assert.deepEqual(calls, { restarts: 8, giveUps: 1 });
});

test('connection errors keep the connection', () => {
  const { crash, calls } = policy();
  assert.deepEqual(crash.error(new Error('write EPIPE'), undefined, 1), { action: ErrorAction.Continue, handled: true });
  assert.deepEqual(calls, { restarts: 0, giveUps: 0 });
});
