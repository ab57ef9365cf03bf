/**
 * MQTT topics and filters as NATS subjects. NATS reserves `.`, `*`, `>` and whitespace and forbids empty tokens;
 * MQTT allows all of them in a level. Each level becomes one token: bytes outside printable ASCII and `.`, `*`, `>`,
 * `%` are percent-encoded (UTF-8), and an empty level is a lone `%`, which no encoded level can be. The encoding is
 * one-to-one, so a topic comes back from its subject.
 *
 * A filter's subjects match every subject of a topic the filter matches (they may match more: `+` or `#` first also
 * reach `$` topics here; the broker matches exactly again when it routes).
 */

/** Subjects of one cluster: `fleetca.<cluster name>.<kind>...`; cluster names are checked by cluster-options.ts. */
export function clusterPrefix(clusterName: string): string {
  return `fleetca.${clusterName}`;
}

const HEX = '0123456789ABCDEF';

/** Printable ASCII but `.`, `*`, `>` and `%`: a character that stands for itself in a token. */
function isPlain(code: number): boolean {
  return code > 0x20 && code < 0x7f && code !== 0x2e && code !== 0x2a && code !== 0x3e && code !== 0x25;
}

/** Whether every character of a non-empty `text` stands for itself (most topics: they then need no work). */
function allPlain(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isPlain(text.charCodeAt(i))) return false;
  return text.length > 0;
}

/** One MQTT level (or a namespace) as one NATS token. */
export function encodeToken(level: string): string {
  if (allPlain(level)) return level;
  if (level === '') return '%';
  let token = '';
  for (const byte of Buffer.from(level, 'utf8')) {
    token += isPlain(byte) ? String.fromCharCode(byte) : `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return token;
}

/** The level `token` encodes; undefined when no level encodes to it. */
export function decodeToken(token: string): string | undefined {
  if (allPlain(token)) return token;
  if (token === '%') return '';
  if (token === '') return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < token.length; i++) {
    const code = token.charCodeAt(i);
    if (code === 0x25) {
      const hex = token.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) return undefined;
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else if (isPlain(code)) {
      bytes.push(code);
    } else {
      return undefined;
    }
  }
  const level = Buffer.from(bytes).toString('utf8');
  // Only the one canonical spelling decodes (no lower-case hex, no needless escapes, valid UTF-8).
  return encodeToken(level) === token ? level : undefined;
}

/** The subject a message on `topic` of `namespace` travels on. */
export function topicSubject(prefix: string, namespace: string, topic: string): string {
  return `${prefix}.msg.${encodeToken(namespace)}.${topic.split('/').map(encodeToken).join('.')}`;
}

/** The topic and namespace of a message subject; undefined for any other subject. */
export function topicOfSubject(
  prefix: string,
  subject: string,
): { readonly namespace: string; readonly topic: string } | undefined {
  const head = `${prefix}.msg.`;
  if (!subject.startsWith(head)) return undefined;
  const tokens = subject.slice(head.length).split('.');
  if (tokens.length < 2) return undefined;
  const levels = tokens.map(decodeToken);
  if (levels.some((level) => level === undefined)) return undefined;
  const [namespace, ...topic] = levels as string[];
  return { namespace: namespace as string, topic: topic.join('/') };
}

/**
 * The subjects to subscribe to for `filter` of `namespace`: `+` is `*`; a last `#` is `>` and, as `a/#` also matches
 * `a` itself (NATS `a.>` does not), its parent level too.
 */
export function filterSubjects(prefix: string, namespace: string, filter: string): string[] {
  const base = `${prefix}.msg.${encodeToken(namespace)}`;
  const levels = filter.split('/');
  const rest = levels[levels.length - 1] === '#';
  const exact = (rest ? levels.slice(0, -1) : levels).map((level) => (level === '+' ? '*' : encodeToken(level)));
  if (!rest) return [`${base}.${exact.join('.')}`];
  if (exact.length === 0) return [`${base}.>`];
  return [`${base}.${exact.join('.')}`, `${base}.${exact.join('.')}.>`];
}

/** Whether `subject` matches the NATS subscription `pattern` (`*` one token, a last `>` one or more). */
export function subjectMatches(pattern: string, subject: string): boolean {
  const want = pattern.split('.');
  const have = subject.split('.');
  for (let i = 0; i < want.length; i++) {
    if (want[i] === '>') return i === want.length - 1 && have.length > i;
    if (i >= have.length) return false;
    if (want[i] !== '*' && want[i] !== have[i]) return false;
  }
  return want.length === have.length;
}
