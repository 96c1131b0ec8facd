/**
 * A strict reader of the Prometheus text exposition format 0.0.4, written from the format's
 * description, so tests check what a scraper would read rather than the writer's own strings.
 * Anything malformed throws with the line it could not read.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help?: string;
  type?: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  if (text !== '' && !text.endsWith('\n')) throw new Error('The exposition must end with a line feed.');
  const families = new Map<string, MetricFamily>();
  const family = (name: string) => {
    let found = families.get(name);
    if (!found) families.set(name, (found = { name, samples: [] }));
    return found;
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const meta = /^# (HELP|TYPE) ([^ ]+) ?(.*)$/.exec(line);
    if (meta) {
      const [, keyword, name, rest] = meta as unknown as [string, string, string, string];
      if (!NAME.test(name) || NAME.exec(name)![0] !== name) throw new Error(`Bad metric name in: ${line}`);
      const target = family(name);
      if (keyword === 'HELP') {
        if (target.help !== undefined) throw new Error(`Second HELP for ${name}`);
        target.help = unescapeHelp(rest);
      } else {
        if (target.type !== undefined) throw new Error(`Second TYPE for ${name}`);
        if (target.samples.length) throw new Error(`TYPE for ${name} after its samples`);
        if (!TYPES.has(rest)) throw new Error(`Unknown type in: ${line}`);
        target.type = rest as MetricFamily['type'];
      }
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = parseSample(line);
    family(familyOf(sample.name, families)).samples.push(sample);
  }
  return families;
}

/** The value of the one sample of `name` whose labels include `labels`; throws unless exactly one matches. */
export function sampleValue(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number {
  const matches = samplesOf(families, name, labels);
  if (matches.length !== 1) throw new Error(`${matches.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return matches[0]!.value;
}

/** The sum over the samples of `name` whose labels include `labels` (0 when none). */
export function sampleSum(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number {
  return samplesOf(families, name, labels).reduce((sum, s) => sum + s.value, 0);
}

/**
 * Checks every histogram: per label set, buckets in increasing `le` ending at +Inf, counts that
 * never decrease, the +Inf bucket equal to `_count`, and a `_sum`. Returns how many series it checked.
 */
export function checkHistograms(families: Map<string, MetricFamily>): number {
  let checked = 0;
  for (const family of families.values()) {
    if (family.type !== 'histogram') continue;
    const series = new Map<string, { buckets: { le: number; value: number }[]; sum?: number; count?: number }>();
    for (const sample of family.samples) {
      const { le, ...rest } = sample.labels;
      const key = JSON.stringify(Object.entries(rest).sort());
      const entry = series.get(key) ?? { buckets: [] };
      series.set(key, entry);
      if (sample.name === `${family.name}_bucket`) {
        if (le === undefined) throw new Error(`${family.name}_bucket without le`);
        entry.buckets.push({ le: le === '+Inf' ? Infinity : Number(le), value: sample.value });
      } else if (sample.name === `${family.name}_sum`) entry.sum = sample.value;
      else if (sample.name === `${family.name}_count`) entry.count = sample.value;
      else throw new Error(`Unexpected sample ${sample.name} in histogram ${family.name}`);
    }
    for (const [key, { buckets, sum, count }] of series) {
      const where = `${family.name}${key}`;
      if (sum === undefined || count === undefined) throw new Error(`${where} lacks _sum or _count`);
      if (buckets.at(-1)?.le !== Infinity) throw new Error(`${where} does not end with le="+Inf"`);
      buckets.forEach((bucket, i) => {
        if (Number.isNaN(bucket.le)) throw new Error(`${where} has a bucket bound that is not a number`);
        if (i > 0 && !(bucket.le > buckets[i - 1]!.le)) throw new Error(`${where} has bounds out of order`);
        if (i > 0 && bucket.value < buckets[i - 1]!.value) throw new Error(`${where} has a bucket count that decreases`);
      });
      if (buckets.at(-1)!.value !== count) throw new Error(`${where}: +Inf bucket ${buckets.at(-1)!.value} != _count ${count}`);
      checked++;
    }
  }
  return checked;
}

function samplesOf(families: Map<string, MetricFamily>, name: string, labels: Record<string, string>): Sample[] {
  const all = [...families.values()].flatMap((f) => f.samples).filter((s) => s.name === name);
  return all.filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** Histogram and summary samples (`_bucket`, `_sum`, `_count`) belong to the family of their base name. */
function familyOf(sampleName: string, families: Map<string, MetricFamily>): string {
  const base = /^(.*)_(bucket|sum|count)$/.exec(sampleName)?.[1];
  const type = base !== undefined ? families.get(base)?.type : undefined;
  return type === 'histogram' || type === 'summary' ? base! : sampleName;
}

function parseSample(line: string): Sample {
  const name = NAME.exec(line)?.[0];
  if (!name) throw new Error(`No metric name in: ${line}`);
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    rest = rest.slice(1);
    while (!rest.startsWith('}')) {
      const label = LABEL.exec(rest)?.[0];
      if (!label || !rest.startsWith(`${label}="`, 0)) throw new Error(`Bad label in: ${line}`);
      rest = rest.slice(label.length + 2);
      let value = '';
      for (;;) {
        const c = rest[0];
        if (c === undefined) throw new Error(`Unterminated label value in: ${line}`);
        rest = rest.slice(1);
        if (c === '"') break;
        if (c === '\n') throw new Error(`Raw line feed in a label value: ${line}`);
        if (c !== '\\') {
          value += c;
          continue;
        }
        const escaped = rest[0];
        rest = rest.slice(1);
        if (escaped === '\\') value += '\\';
        else if (escaped === '"') value += '"';
        else if (escaped === 'n') value += '\n';
        else throw new Error(`Bad escape \\${escaped ?? ''} in: ${line}`);
      }
      if (label in labels) throw new Error(`Label ${label} twice in: ${line}`);
      labels[label] = value;
      if (rest.startsWith(',')) rest = rest.slice(1);
      else if (!rest.startsWith('}')) throw new Error(`Expected , or } in: ${line}`);
    }
    rest = rest.slice(1);
  }
  const fields = rest.trim().split(/[ \t]+/);
  if (!/^[ \t]/.test(rest) || fields.length < 1 || fields.length > 2) throw new Error(`Bad value in: ${line}`);
  return { name, labels, value: parseValue(fields[0]!, line) };
}

function parseValue(text: string, line: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`Bad number "${text}" in: ${line}`);
  return Number(text);
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}
