// The breaker tells its owner each time it opens, so an "opened" counter never misses a re-open.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CircuitBreaker } from '../../server/src/net/circuitBreaker';

test('onOpen fires when the threshold is reached and again when a half-open probe fails, never otherwise', () => {
  const clock = { now: 0 };
  let opened = 0;
  const breaker = new CircuitBreaker({ failureThreshold: 2, coolDownMs: 1000, now: () => clock.now, onOpen: () => opened++ });
  breaker.recordFailure();
  assert.equal(opened, 0);
  breaker.recordFailure();
  assert.equal(opened, 1);
  assert.equal(breaker.state, 'open');
  breaker.recordFailure(); // a failed health check while open restarts the cool-down, it does not open again
  assert.equal(opened, 1);
  clock.now += 1000;
  assert.equal(breaker.tryAcquire(), true, 'the probe is admitted after the cool-down');
  breaker.recordFailure();
  assert.equal(opened, 2);
  assert.equal(breaker.timesOpened, 2);
  clock.now += 1000;
  assert.equal(breaker.tryAcquire(), true);
  breaker.recordSuccess();
  breaker.recordFailure();
  assert.equal(opened, 2, 'one failure after recovery is below the threshold');
});
