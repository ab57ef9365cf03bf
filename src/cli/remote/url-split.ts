import { pyStrRepr } from '../python/repr.js';

/**
 * Python's `urllib.parse.urlsplit` and the parts of its result botocore reads (`hostname`,
 * `port`). The AWS CLI validates and joins endpoint URLs with these, and its error messages
 * quote URLs rebuilt from them, so the WHATWG URL parser (which normalises) cannot stand in.
 */

/** The five components of a URL, as Python's SplitResult holds them. */
export interface SplitUrl {
  /** Lower-cased; '' when the URL has none. */
  readonly scheme: string;
  readonly netloc: string;
  readonly path: string;
  readonly query: string;
  readonly fragment: string;
}

/** A ValueError raised by urlsplit or by SplitResult.port. */
export class UrlValueError extends Error {
  override readonly name = 'UrlValueError';
}

const SCHEME_CHARS = /^[A-Za-z0-9+\-.]+$/;

// WHATWG "C0 control or space" (U+0000..U+0020), which urlsplit strips from the start since Python 3.11.4.
function stripLeadingC0OrSpace(text: string): string {
  let start = 0;
  while (start < text.length && text.charCodeAt(start) <= 0x20) start++;
  return text.slice(start);
}

/** `urllib.parse.urlsplit(url)`. */
export function urlSplit(text: string): SplitUrl {
  let url = stripLeadingC0OrSpace(text).replace(/[\t\r\n]/g, '');
  let scheme = '';
  let netloc = '';
  let query = '';
  let fragment = '';
  const colon = url.indexOf(':');
  if (colon > 0 && /^[A-Za-z]/.test(url) && SCHEME_CHARS.test(url.slice(0, colon))) {
    scheme = url.slice(0, colon).toLowerCase();
    url = url.slice(colon + 1);
  }
  if (url.startsWith('//')) {
    const end = firstIndexOf(url, '/?#', 2);
    netloc = url.slice(2, end);
    url = url.slice(end);
    if (netloc.includes('[') !== netloc.includes(']')) throw new UrlValueError('Invalid IPv6 URL');
  }
  const hash = url.indexOf('#');
  if (hash >= 0) {
    fragment = url.slice(hash + 1);
    url = url.slice(0, hash);
  }
  const question = url.indexOf('?');
  if (question >= 0) {
    query = url.slice(question + 1);
    url = url.slice(0, question);
  }
  return { scheme, netloc, path: url, query, fragment };
}

function firstIndexOf(text: string, chars: string, from: number): number {
  for (let i = from; i < text.length; i++) if (chars.includes(text[i] as string)) return i;
  return text.length;
}

function hostInfo(netloc: string): { host: string; port: string | undefined } {
  const hostinfo = netloc.slice(netloc.lastIndexOf('@') + 1);
  const open = hostinfo.indexOf('[');
  let host: string;
  let port: string;
  if (open >= 0) {
    const bracketed = hostinfo.slice(open + 1);
    const close = bracketed.indexOf(']');
    host = close >= 0 ? bracketed.slice(0, close) : bracketed;
    const rest = close >= 0 ? bracketed.slice(close + 1) : '';
    const colon = rest.indexOf(':');
    port = colon >= 0 ? rest.slice(colon + 1) : '';
  } else {
    const colon = hostinfo.indexOf(':');
    host = colon >= 0 ? hostinfo.slice(0, colon) : hostinfo;
    port = colon >= 0 ? hostinfo.slice(colon + 1) : '';
  }
  return { host, port: port === '' ? undefined : port };
}

/** `SplitResult.hostname`: lower-cased (an IPv6 zone id excepted), undefined when empty. */
export function urlHostname(url: SplitUrl): string | undefined {
  const { host } = hostInfo(url.netloc);
  if (!host) return undefined;
  const percent = host.indexOf('%');
  return percent < 0 ? host.toLowerCase() : host.slice(0, percent).toLowerCase() + host.slice(percent);
}

/** `SplitResult.port`: undefined when absent; a ValueError text when not a number in range. */
export function urlPort(url: SplitUrl): number | undefined {
  const { port } = hostInfo(url.netloc);
  if (port === undefined) return undefined;
  if (!/^[0-9]+$/.test(port)) throw new UrlValueError(`Port could not be cast to integer value as ${pyStrRepr(port)}`);
  const value = Number(port);
  if (value > 65535) throw new UrlValueError('Port out of range 0-65535');
  return value;
}
