import type { ConsoleAsset, Representation } from './console-asset.js';

/**
 * The representation to send for an Accept-Encoding header (RFC 9110 §12.5.3): the precompressed coding with the
 * highest q the client gives (brotli before gzip on a tie, `*` standing for any coding it does not name), else
 * the file as built. A missing or unreadable header gets the file as built, which every client accepts.
 */
export function chooseRepresentation(asset: ConsoleAsset, acceptEncoding: string | undefined): Representation {
  if (acceptEncoding === undefined || asset.encoded.length === 0) return asset.identity;
  const weights = codingWeights(acceptEncoding);
  let best: Representation | undefined;
  let bestWeight = 0;
  for (const variant of asset.encoded) {
    const weight = weights.get(variant.coding) ?? weights.get('*') ?? 0;
    if (weight > bestWeight) {
      best = variant;
      bestWeight = weight;
    }
  }
  return best ?? asset.identity;
}

/** `gzip;q=0.5, br, *;q=0` → gzip 0.5, br 1, * 0; names lower-cased, a malformed q read as 0 (not acceptable). */
function codingWeights(header: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';').map((piece) => piece.trim());
    if (name === '') continue;
    let weight = 1;
    for (const param of params) {
      const match = /^q\s*=\s*(.*)$/i.exec(param);
      if (match) weight = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(match[1] ?? '') ? Number(match[1]) : 0;
    }
    weights.set(name.toLowerCase(), weight);
  }
  return weights;
}

/**
 * Whether If-None-Match names `etag` (or is `*`): the weak comparison RFC 9110 §13.1.2 prescribes, so `W/"x"`
 * matches `"x"`. Then the client's copy is current and the answer is 304.
 */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return (trimmed.startsWith('W/') ? trimmed.slice(2) : trimmed) === etag;
  });
}
