/**
 * A small metrics registry: counters, gauges and histograms with labels, written out in the
 * Prometheus text exposition format 0.0.4. Just what the daemon needs, so it carries no
 * dependency (prom-client would be the whole of Ferret's metrics code many times over).
 */

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type Labels<L extends string> = Readonly<Record<L, string>>;
type MetricType = 'counter' | 'gauge' | 'histogram';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** What every metric shares: a name, a help sentence, label names, and one series per label set. */
abstract class Metric<L extends string, S> {
  protected readonly series = new Map<string, { labels: Labels<L>; value: S }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[],
    readonly type: MetricType,
  ) {
    if (!METRIC_NAME.test(name)) throw new Error(`"${name}" is not a valid metric name.`);
    for (const label of labelNames) {
      if (!LABEL_NAME.test(label) || label.startsWith('__')) throw new Error(`"${label}" is not a valid label name for ${name}.`);
    }
  }

  /** Drops every series, so a label set that no longer exists (a removed provider) is not reported. */
  reset(): void {
    this.series.clear();
  }

  /** The metric's lines, HELP and TYPE first. */
  expose(): string[] {
    const lines = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
    for (const { labels, value } of this.series.values()) lines.push(...this.samples(labels, value));
    return lines;
  }

  protected abstract samples(labels: Labels<L>, value: S): string[];

  protected entry(labels: Labels<L>, initial: () => S): { labels: Labels<L>; value: S } {
    const key = JSON.stringify(this.labelNames.map((name) => labels[name]));
    let found = this.series.get(key);
    if (!found) {
      for (const name of this.labelNames) {
        if (typeof labels[name] !== 'string') throw new Error(`${this.name} needs the label ${name}.`);
      }
      found = { labels: { ...labels }, value: initial() };
      this.series.set(key, found);
    }
    return found;
  }

  protected sample(suffix: string, labels: Labels<L>, value: number, extra?: [string, string]): string {
    const pairs = this.labelNames.map((name) => [name, labels[name]] as [string, string]);
    if (extra) pairs.push(extra);
    const rendered = pairs.length ? `{${pairs.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}` : '';
    return `${this.name}${suffix}${rendered} ${formatValue(value)}`;
  }
}

/** A count that only goes up (it restarts from zero with the daemon, which Prometheus expects). */
export class Counter<L extends string = never> extends Metric<L, { n: number }> {
  constructor(name: string, help: string, labelNames: readonly L[] = []) {
    super(name, help, labelNames, 'counter');
  }

  inc(labels: Labels<L>, by = 1): void {
    if (!(by >= 0)) throw new Error(`${this.name} can only go up; got ${by}.`);
    this.entry(labels, () => ({ n: 0 })).value.n += by;
  }

  protected samples(labels: Labels<L>, value: { n: number }): string[] {
    return [this.sample('', labels, value.n)];
  }
}

/** A value that is set to what it is now. */
export class Gauge<L extends string = never> extends Metric<L, { n: number }> {
  constructor(name: string, help: string, labelNames: readonly L[] = []) {
    super(name, help, labelNames, 'gauge');
  }

  set(labels: Labels<L>, value: number): void {
    this.entry(labels, () => ({ n: 0 })).value.n = value;
  }

  protected samples(labels: Labels<L>, value: { n: number }): string[] {
    return [this.sample('', labels, value.n)];
  }
}

interface HistogramState {
  /** Observations per bucket, not cumulative; the last slot is above the highest bound. */
  counts: number[];
  sum: number;
  count: number;
}

/** Observations counted into buckets by upper bound, with their sum and count. */
export class Histogram<L extends string = never> extends Metric<L, HistogramState> {
  private readonly bounds: readonly number[];

  constructor(name: string, help: string, labelNames: readonly L[], buckets: readonly number[]) {
    super(name, help, labelNames, 'histogram');
    if ((labelNames as readonly string[]).includes('le')) throw new Error(`${name} cannot use "le", the bucket label.`);
    const bounds = buckets.filter((b) => Number.isFinite(b));
    if (bounds.length === 0 || bounds.some((b, i) => i > 0 && b <= bounds[i - 1]!)) throw new Error(`${name} needs increasing finite bucket bounds.`);
    this.bounds = bounds;
  }

  observe(labels: Labels<L>, value: number): void {
    const state = this.entry(labels, () => ({ counts: new Array<number>(this.bounds.length + 1).fill(0), sum: 0, count: 0 })).value;
    const index = this.bounds.findIndex((bound) => value <= bound);
    state.counts[index === -1 ? this.bounds.length : index]! += 1;
    state.sum += value;
    state.count += 1;
  }

  protected samples(labels: Labels<L>, state: HistogramState): string[] {
    let cumulative = 0;
    const lines = this.bounds.map((bound, i) => {
      cumulative += state.counts[i]!;
      return this.sample('_bucket', labels, cumulative, ['le', formatValue(bound)]);
    });
    lines.push(this.sample('_bucket', labels, state.count, ['le', '+Inf']));
    lines.push(this.sample('_sum', labels, state.sum), this.sample('_count', labels, state.count));
    return lines;
  }
}

/** Owns the metrics and writes them out; `collect` hooks refresh sampled values just before. */
export class MetricsRegistry {
  private readonly metrics: Metric<string, unknown>[] = [];
  private readonly collectors: (() => void)[] = [];

  counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return this.add(new Counter(name, help, labelNames));
  }

  gauge<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return this.add(new Gauge(name, help, labelNames));
  }

  histogram<L extends string = never>(name: string, help: string, labelNames: readonly L[], buckets: readonly number[]): Histogram<L> {
    return this.add(new Histogram(name, help, labelNames, buckets));
  }

  /** Runs `collect` before each exposition, for values read rather than counted (index sizes, memory). */
  onCollect(collect: () => void): void {
    this.collectors.push(collect);
  }

  /** Every metric in the text exposition format, ending with a newline. */
  expose(): string {
    for (const collect of this.collectors) collect();
    return `${this.metrics.flatMap((metric) => metric.expose()).join('\n')}\n`;
  }

  private add<M extends Metric<string, unknown>>(metric: M): M {
    if (this.metrics.some((m) => m.name === metric.name)) throw new Error(`The metric ${metric.name} is registered twice.`);
    this.metrics.push(metric);
    return metric;
  }
}

/** Label values escape backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text escapes backslash and line feed. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}
