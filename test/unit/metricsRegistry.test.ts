// The metrics registry writes what a Prometheus scraper reads: each exposition is parsed back
// with a strict reader of the text format, not compared with the writer's own strings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeLabelValue, MetricsRegistry } from '../../server/src/metrics/metricsRegistry';
import { checkHistograms, parsePrometheusText, sampleValue } from '../support/prometheusText';

test('every metric carries HELP and TYPE, and its samples parse back with their values', () => {
  const registry = new MetricsRegistry();
  const requests = registry.counter('app_requests_total', 'Requests served.', ['route']);
  const temperature = registry.gauge('app_temperature_celsius', 'Current temperature.');
  const latency = registry.histogram('app_latency_seconds', 'Request latency.', ['route'], [0.1, 1]);
  requests.inc({ route: '/a' });
  requests.inc({ route: '/a' }, 2);
  requests.inc({ route: '/b' });
  temperature.set({}, -3.5);
  latency.observe({ route: '/a' }, 0.05);

  const families = parsePrometheusText(registry.expose());
  assert.deepEqual(
    [...families.values()].map((f) => [f.name, f.type, f.help]),
    [
      ['app_requests_total', 'counter', 'Requests served.'],
      ['app_temperature_celsius', 'gauge', 'Current temperature.'],
      ['app_latency_seconds', 'histogram', 'Request latency.'],
    ],
  );
  assert.equal(sampleValue(families, 'app_requests_total', { route: '/a' }), 3);
  assert.equal(sampleValue(families, 'app_requests_total', { route: '/b' }), 1);
  assert.equal(sampleValue(families, 'app_temperature_celsius'), -3.5);
  assert.equal(sampleValue(families, 'app_latency_seconds_count', { route: '/a' }), 1);
});

test('label values with backslashes, quotes, line feeds and unicode survive the round trip', () => {
  const registry = new MetricsRegistry();
  const gauge = registry.gauge('files', 'Files per folder.', ['folder']);
  const awkward = ['C:\\Users\\dev\\repo', 'say "hi"', 'two\nlines', 'trailing\\', 'ünïcødé/日本', '', 'a\\"b\\n'];
  awkward.forEach((folder, i) => gauge.set({ folder }, i));
  const text = registry.expose();
  assert.equal(text.split('\n').filter((line) => line.startsWith('files{')).length, awkward.length, 'one line per series: no raw line feed leaked');
  const families = parsePrometheusText(text);
  assert.deepEqual(
    families.get('files')!.samples.map((s) => [s.labels.folder, s.value]),
    awkward.map((folder, i) => [folder, i]),
  );
  assert.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
});

test('HELP text escapes backslashes and line feeds', () => {
  const registry = new MetricsRegistry();
  registry.counter('x_total', 'First line\nsecond \\ line.');
  assert.match(registry.expose(), /^# HELP x_total First line\\nsecond \\\\ line\.\n/);
  assert.equal(parsePrometheusText(registry.expose()).get('x_total')!.help, 'First line\nsecond \\ line.');
});

test('histogram buckets are cumulative, bounds inclusive, +Inf equal to the count, with the sum', () => {
  const registry = new MetricsRegistry();
  const h = registry.histogram('op_seconds', 'Operation time.', ['op'], [0.01, 0.1, 1]);
  for (const v of [0.005, 0.01, 0.05, 0.1, 0.5, 2, 30]) h.observe({ op: 'read' }, v);
  h.observe({ op: 'write' }, 0.2);
  const families = parsePrometheusText(registry.expose());
  assert.equal(checkHistograms(families), 2);
  const bucket = (le: string) => sampleValue(families, 'op_seconds_bucket', { op: 'read', le });
  assert.deepEqual(['0.01', '0.1', '1', '+Inf'].map(bucket), [2, 4, 5, 7]);
  assert.equal(sampleValue(families, 'op_seconds_count', { op: 'read' }), 7);
  assert.ok(Math.abs(sampleValue(families, 'op_seconds_sum', { op: 'read' }) - 32.665) < 1e-9);
  assert.equal(sampleValue(families, 'op_seconds_bucket', { op: 'write', le: '0.1' }), 0);
  assert.equal(sampleValue(families, 'op_seconds_bucket', { op: 'write', le: '1' }), 1);
});

test('collectors refresh sampled values before each exposition; reset drops series that left', () => {
  const registry = new MetricsRegistry();
  const up = registry.gauge('provider_up', 'Provider up.', ['provider']);
  let providers = ['ollama', 'openai'];
  registry.onCollect(() => {
    up.reset();
    for (const provider of providers) up.set({ provider }, 1);
  });
  assert.equal(parsePrometheusText(registry.expose()).get('provider_up')!.samples.length, 2);
  providers = ['mlx'];
  assert.deepEqual(
    parsePrometheusText(registry.expose()).get('provider_up')!.samples.map((s) => s.labels.provider),
    ['mlx'],
  );
});

test('mistakes in metric definitions and use fail loudly', () => {
  const registry = new MetricsRegistry();
  assert.throws(() => registry.counter('bad-name', 'x'), /not a valid metric name/);
  assert.throws(() => registry.gauge('ok_name', 'x', ['bad-label']), /not a valid label name/);
  assert.throws(() => registry.histogram('h', 'x', ['le'], [1]), /cannot use "le"/);
  assert.throws(() => registry.histogram('h2', 'x', [], [1, 1]), /increasing/);
  const counter = registry.counter('c_total', 'x', ['a']);
  assert.throws(() => registry.counter('c_total', 'x'), /registered twice/);
  assert.throws(() => counter.inc({ a: 'x' }, -1), /only go up/);
  assert.throws(() => counter.inc({} as { a: string }), /needs the label a/);
});

test('the reader used above rejects what a scraper would reject', () => {
  assert.throws(() => parsePrometheusText('x{a="unterminated} 1\n'), /Unterminated/);
  assert.throws(() => parsePrometheusText('x{a="bad \\t escape"} 1\n'), /Bad escape/);
  assert.throws(() => parsePrometheusText('x 1'), /line feed/);
  assert.throws(() => parsePrometheusText('x one\n'), /Bad number/);
  assert.throws(() => parsePrometheusText('x 1\n# TYPE x counter\n'), /after its samples/);
  const broken = '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n';
  assert.throws(() => checkHistograms(parsePrometheusText(broken)), /decreases/);
});
