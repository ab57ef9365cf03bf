/**
 * AWS IoT policy variables (reference §1.5): `${iot:ClientId}`, `${aws:SourceIp}`, `${iot:Connection.Thing.*}`,
 * `${iot:Certificate.*}`, and the IAM escapes `${*}`, `${?}`, `${$}`. Text is parsed once into parts; the values
 * come from the asking principal's facts, which are fixed for a connection, so each Authorizer resolves them once.
 */

import type { PrincipalFacts } from './authorization-request.js';
import { ANY_ONE, ANY_RUN, type PatternToken } from './resource-pattern.js';

/** A piece of policy text: literal text, a wildcard, or a variable reference. */
export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'wildcard'; readonly token: typeof ANY_RUN | typeof ANY_ONE }
  | { readonly kind: 'variable'; readonly name: string };

/** Policy text with its variables found. */
export interface Template {
  readonly source: string;
  readonly parts: readonly TemplatePart[];
  /** The variables it names, in order of first use. */
  readonly variables: readonly string[];
}

const ESCAPES: Readonly<Record<string, string>> = { '*': '*', '?': '?', $: '$' };

/** Splits `text` into parts. `${` without a closing `}` is literal text, as is an empty `${}`. */
export function parseTemplate(text: string): Template {
  const parts: TemplatePart[] = [];
  const variables: string[] = [];
  let literal = '';
  const flush = (): void => {
    if (literal) parts.push({ kind: 'text', text: literal });
    literal = '';
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char === '$' && text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      const inner = close < 0 ? '' : text.slice(i + 2, close);
      if (inner !== '') {
        const escaped = ESCAPES[inner];
        if (escaped !== undefined) literal += escaped;
        else {
          flush();
          parts.push({ kind: 'variable', name: inner });
          if (!variables.includes(inner)) variables.push(inner);
        }
        i = close;
        continue;
      }
    }
    if (char === '*' || char === '?') {
      flush();
      parts.push({ kind: 'wildcard', token: char === '*' ? ANY_RUN : ANY_ONE });
    } else {
      literal += char;
    }
  }
  flush();
  return { source: text, parts, variables };
}

/** What a name (variable or condition key) takes for a principal: its values, or undefined when it has none. */
export interface ResolvedName {
  readonly values: readonly string[];
  /** A multi-valued key (`.List`, `iot:ConnectAttributes`, `AvailableKeys.List`): not substitutable into text. */
  readonly multi: boolean;
  /** From the certificate: subject to the wildcard and length limits on substitution. */
  readonly certificate: boolean;
}

/** AWS keeps at most five items of a certificate attribute (cert-policy-variables.md, "Array fields"). */
export const CERTIFICATE_ARRAY_LIMIT = 5;
/** Longer certificate strings are not substituted (same page, "String length"). */
export const CERTIFICATE_STRING_LIMIT = 1024;
const UNSUBSTITUTABLE = /[*$+?#]/;

const CERTIFICATE_PREFIX = 'iot:certificate.';
const ATTRIBUTES_PREFIX = 'iot:connection.thing.attributes[';

/**
 * Resolves a variable or condition key. Names are matched ignoring case, as IAM matches condition keys — except a
 * thing attribute's own name, which is kept as written. `now` (epoch ms) feeds `aws:CurrentTime`/`aws:EpochTime`.
 */
export function resolveName(name: string, facts: PrincipalFacts, now: number): ResolvedName | undefined {
  const lower = name.toLowerCase();
  const single = (value: string | undefined): ResolvedName | undefined =>
    value === undefined ? undefined : { values: [value], multi: false, certificate: false };
  switch (lower) {
    case 'iot:clientid':
      return single(facts.clientId);
    case 'aws:sourceip':
      return single(facts.sourceIp);
    case 'iot:connection.thing.thingname':
      return single(facts.thing?.thingName);
    case 'iot:connection.thing.thingtypename':
      return single(facts.thing?.thingTypeName);
    case 'iot:connection.thing.isattached':
      return single(facts.thing ? 'true' : 'false');
    case 'iot:connectattributes':
      return facts.connectAttributes ? { values: facts.connectAttributes, multi: true, certificate: false } : undefined;
    case 'aws:currenttime':
      return single(new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    case 'aws:epochtime':
      return single(String(Math.floor(now / 1000)));
  }
  if (lower.startsWith(ATTRIBUTES_PREFIX) && name.endsWith(']')) {
    const attribute = name.slice(ATTRIBUTES_PREFIX.length, -1);
    const attributes = facts.thing?.attributes;
    return attributes && Object.hasOwn(attributes, attribute) ? single(attributes[attribute]) : undefined;
  }
  if (lower.startsWith(CERTIFICATE_PREFIX)) return resolveCertificateName(lower, facts);
  return undefined;
}

/** `iot:Certificate.<attribute>[.<index>|.List]` and `iot:Certificate.AvailableKeys`. */
function resolveCertificateName(lower: string, facts: PrincipalFacts): ResolvedName | undefined {
  const certificate = facts.certificate;
  if (!certificate) return undefined;
  let attribute = lower.slice(CERTIFICATE_PREFIX.length);
  let selector: 'first' | 'list' | number = 'first';
  const dot = attribute.lastIndexOf('.');
  const suffix = dot < 0 ? '' : attribute.slice(dot + 1);
  if (suffix === 'list') {
    selector = 'list';
    attribute = attribute.slice(0, dot);
  } else if (/^\d+$/.test(suffix)) {
    selector = Number(suffix);
    attribute = attribute.slice(0, dot);
  }
  let values: readonly string[] | undefined;
  if (attribute === 'availablekeys') {
    values = [...certificate].filter(([, list]) => list.length > 0).map(([key]) => `iot:Certificate.${key}`);
  } else {
    for (const [key, list] of certificate) {
      if (key.toLowerCase() === attribute) values = list;
    }
  }
  if (!values || values.length === 0) return undefined;
  const kept = values.slice(0, CERTIFICATE_ARRAY_LIMIT);
  if (selector === 'list') return { values: kept, multi: true, certificate: true };
  const value = kept[selector === 'first' ? 0 : selector];
  return value === undefined ? undefined : { values: [value], multi: false, certificate: true };
}

/** A template with its variables substituted: pattern tokens, or `missing` naming the variables with no value. */
export type Substitution =
  | { readonly ok: true; readonly tokens: readonly PatternToken[] }
  | { readonly ok: false; readonly missing: readonly string[] };

/**
 * Substitutes a template's variables. A substituted value is literal text (a client id `*` grants `*` the
 * character, not everything). A certificate value containing `* $ + ? #` or over 1024 characters is not
 * substituted: the `${name}` text stays, as AWS documents, and then only matches itself.
 */
export function substitute(template: Template, lookup: (name: string) => ResolvedName | undefined): Substitution {
  const tokens: PatternToken[] = [];
  const missing: string[] = [];
  for (const part of template.parts) {
    if (part.kind === 'text') tokens.push(part.text);
    else if (part.kind === 'wildcard') tokens.push(part.token);
    else {
      const resolved = lookup(part.name);
      const value = resolved && !resolved.multi ? resolved.values[0] : undefined;
      if (value === undefined) missing.push(part.name);
      else if (resolved?.certificate && !substitutable(value)) tokens.push(`\${${part.name}}`);
      else tokens.push(value);
    }
  }
  return missing.length > 0 ? { ok: false, missing } : { ok: true, tokens };
}

function substitutable(value: string): boolean {
  return value.length <= CERTIFICATE_STRING_LIMIT && !UNSUBSTITUTABLE.test(value);
}
