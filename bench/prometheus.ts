/**
 * A reader for the Prometheus text exposition format (version 0.0.4), just enough to read fleetca's
 * `/_fleetca/metrics`: samples with optional labels, comments and HELP/TYPE lines skipped.
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export class PrometheusParseError extends Error {
  override readonly name = 'PrometheusParseError';
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

/** Every sample in the text, in order. Throws PrometheusParseError naming the line for malformed input. */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    try {
      samples.push(parseSampleLine(line));
    } catch (err) {
      throw new PrometheusParseError(`line ${index + 1}: ${(err as Error).message}: ${line}`);
    }
  }
  return samples;
}

function parseSampleLine(line: string): Sample {
  const name = METRIC_NAME.exec(line)?.[0];
  if (name === undefined) throw new Error('no metric name');
  let rest = line.slice(name.length);
  let labels: Record<string, string> = {};
  if (rest.startsWith('{')) {
    const parsed = parseLabels(rest);
    labels = parsed.labels;
    rest = rest.slice(parsed.length);
  }
  // Value, then an optional timestamp which we do not need.
  const fields = rest.trim().split(/\s+/);
  if (fields.length < 1 || fields.length > 2 || fields[0] === '') throw new Error('expected a value');
  return { name, labels, value: parseValue(fields[0] as string) };
}

/** Parses `{a="x",b="y\"z"}` at the start of text; returns the labels and how many characters they took. */
function parseLabels(text: string): { labels: Record<string, string>; length: number } {
  const labels: Record<string, string> = {};
  let pos = 1;
  const skipSpaces = () => {
    while (text[pos] === ' ' || text[pos] === '\t') pos++;
  };
  for (;;) {
    skipSpaces();
    if (text[pos] === '}') return { labels, length: pos + 1 };
    const labelName = LABEL_NAME.exec(text.slice(pos))?.[0];
    if (labelName === undefined) throw new Error('bad label name');
    pos += labelName.length;
    skipSpaces();
    if (text[pos] !== '=') throw new Error(`expected = after label ${labelName}`);
    pos++;
    skipSpaces();
    if (text[pos] !== '"') throw new Error(`expected " to open the value of ${labelName}`);
    pos++;
    let value = '';
    for (;;) {
      const char = text[pos];
      if (char === undefined) throw new Error(`unterminated value of ${labelName}`);
      pos++;
      if (char === '"') break;
      if (char === '\\') {
        const escaped = text[pos++];
        if (escaped === 'n') value += '\n';
        else if (escaped === '\\' || escaped === '"') value += escaped;
        else throw new Error(`bad escape \\${escaped ?? ''} in ${labelName}`);
      } else {
        value += char;
      }
    }
    labels[labelName] = value;
    skipSpaces();
    if (text[pos] === ',') pos++;
    else if (text[pos] !== '}') throw new Error(`expected , or } after label ${labelName}`);
  }
}

function parseValue(text: string): number {
  switch (text) {
    case 'NaN':
      return Number.NaN;
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
  }
  // Number('') is 0 and Number('0x10') is 16: accept only Go-style decimal floats.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new Error(`bad value "${text}"`);
  return Number(text);
}

/**
 * The value of the first sample with this name whose labels include `labels`; undefined when there is none.
 */
export function sampleValue(
  samples: readonly Sample[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  const wanted = Object.entries(labels);
  return samples.find((s) => s.name === name && wanted.every(([key, value]) => s.labels[key] === value))?.value;
}
