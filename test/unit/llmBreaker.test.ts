import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CircuitBreaker } from '../../server/src/net/circuitBreaker';
import { defaultProviderOrder, orderProviders } from '../../server/src/llm/providerOrder';

/** A breaker on a clock the test moves by hand. */
function breakerAt(start = 1_000_000) {
  const clock = { now: start };
  const breaker = new CircuitBreaker({ failureThreshold: 3, coolDownMs: 30_000, now: () => clock.now });
  return { breaker, clock };
}

function failTimes(breaker: CircuitBreaker, n: number): void {
  for (let i = 0; i < n; i++) breaker.recordFailure();
}

describe('CircuitBreaker', () => {
  it('stays closed below the threshold and opens at the third consecutive failure', () => {
    const { breaker } = breakerAt();
    failTimes(breaker, 2);
    assert.equal(breaker.state, 'closed');
    assert.equal(breaker.canRequest(), true);
    breaker.recordFailure();
    assert.equal(breaker.state, 'open');
    assert.equal(breaker.consecutiveFailures, 3);
    assert.equal(breaker.timesOpened, 1);
    assert.equal(breaker.canRequest(), false);
    assert.equal(breaker.tryAcquire(), false);
  });

  it('counts only consecutive failures: a success in between starts again', () => {
    const { breaker } = breakerAt();
    failTimes(breaker, 2);
    breaker.recordSuccess();
    failTimes(breaker, 2);
    assert.equal(breaker.state, 'closed');
    assert.equal(breaker.consecutiveFailures, 2);
  });

  it('turns half-open when the cool-down has passed, and admits exactly one probe', () => {
    const { breaker, clock } = breakerAt();
    failTimes(breaker, 3);
    clock.now += 29_999;
    assert.equal(breaker.state, 'open');
    assert.equal(breaker.retryInMs, 1);
    clock.now += 1;
    assert.equal(breaker.state, 'half-open');
    assert.equal(breaker.retryInMs, 0);
    assert.equal(breaker.canRequest(), true);
    assert.equal(breaker.tryAcquire(), true);
    assert.equal(breaker.canRequest(), false);
    assert.equal(breaker.tryAcquire(), false, 'a second request while the probe runs');
  });

  it('closes when the probe succeeds', () => {
    const { breaker, clock } = breakerAt();
    failTimes(breaker, 3);
    clock.now += 30_000;
    assert.equal(breaker.tryAcquire(), true);
    breaker.recordSuccess();
    assert.equal(breaker.state, 'closed');
    assert.equal(breaker.consecutiveFailures, 0);
    assert.equal(breaker.tryAcquire(), true);
    assert.equal(breaker.tryAcquire(), true, 'closed admits everyone');
  });

  it('re-opens with a fresh cool-down when the probe fails', () => {
    const { breaker, clock } = breakerAt();
    failTimes(breaker, 3);
    clock.now += 30_000;
    assert.equal(breaker.tryAcquire(), true);
    breaker.recordFailure();
    assert.equal(breaker.state, 'open');
    assert.equal(breaker.timesOpened, 2);
    assert.equal(breaker.consecutiveFailures, 4);
    clock.now += 29_999;
    assert.equal(breaker.state, 'open');
    clock.now += 1;
    assert.equal(breaker.state, 'half-open');
  });

  it('frees the probe slot when the probe ends without a verdict', () => {
    const { breaker, clock } = breakerAt();
    failTimes(breaker, 3);
    clock.now += 30_000;
    assert.equal(breaker.tryAcquire(), true);
    breaker.release();
    assert.equal(breaker.state, 'half-open');
    assert.equal(breaker.tryAcquire(), true);
  });

  it('takes health checks as documented: a good one only hastens the probe, a bad one counts and restarts the cool-down', () => {
    const { breaker, clock } = breakerAt();
    failTimes(breaker, 2);
    breaker.recordHealthy();
    assert.equal(breaker.consecutiveFailures, 2, 'a reachable server does not prove generation works');
    breaker.recordFailure();
    assert.equal(breaker.state, 'open');
    clock.now += 20_000;
    breaker.recordFailure();
    assert.equal(breaker.retryInMs, 30_000, 'still down: the cool-down starts again');
    assert.equal(breaker.timesOpened, 1);
    breaker.recordHealthy();
    assert.equal(breaker.state, 'half-open');
    assert.equal(breaker.consecutiveFailures, 4);
    assert.equal(breaker.tryAcquire(), true);
  });
});

describe('provider order', () => {
  it('puts mlx first on Apple silicon only, and openai last when it has a base URL', () => {
    assert.deepEqual(defaultProviderOrder({ platform: 'darwin', arch: 'arm64' }), ['mlx', 'ollama']);
    assert.deepEqual(defaultProviderOrder({ platform: 'darwin', arch: 'x64', openaiBaseUrl: 'http://127.0.0.1:8000/v1' }), ['ollama', 'openai']);
    assert.deepEqual(defaultProviderOrder({ platform: 'linux', arch: 'arm64', openaiBaseUrl: '  ' }), ['ollama']);
  });

  it('orders providers as the settings say, leaving out the unnamed and repeats', () => {
    const providers = [{ id: 'ollama' }, { id: 'openai' }, { id: 'mlx' }];
    assert.deepEqual(
      orderProviders(providers, ['openai', 'nope', 'ollama', 'openai']).map((provider) => provider.id),
      ['openai', 'ollama'],
    );
  });
});
