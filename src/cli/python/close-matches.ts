/**
 * Python's `difflib.get_close_matches` (SequenceMatcher with autojunk, no junk function): the
 * AWS CLI uses it for the "Maybe you meant" hint of an invalid command or choice.
 */
export function getCloseMatches(word: string, possibilities: readonly string[], n = 3, cutoff = 0.8): string[] {
  const b = Array.from(word);
  const b2j = buildB2j(b);
  const scored: Array<{ score: number; candidate: string }> = [];
  for (const candidate of possibilities) {
    const score = ratio(Array.from(candidate), b, b2j);
    if (score >= cutoff) scored.push({ score, candidate });
  }
  // heapq.nlargest on (score, x) tuples: highest score first, ties by the larger string.
  scored.sort((x, y) =>
    x.score !== y.score ? y.score - x.score : x.candidate < y.candidate ? 1 : x.candidate > y.candidate ? -1 : 0,
  );
  return scored.slice(0, n).map((entry) => entry.candidate);
}

function buildB2j(b: readonly string[]): Map<string, number[]> {
  const b2j = new Map<string, number[]>();
  b.forEach((elt, i) => {
    const list = b2j.get(elt);
    if (list) list.push(i);
    else b2j.set(elt, [i]);
  });
  if (b.length >= 200) {
    const ntest = Math.floor(b.length / 100) + 1;
    for (const [elt, idxs] of [...b2j]) if (idxs.length > ntest) b2j.delete(elt);
  }
  return b2j;
}

function ratio(a: readonly string[], b: readonly string[], b2j: Map<string, number[]>): number {
  const total = a.length + b.length;
  if (total === 0) return 1;
  let matches = 0;
  const queue: Array<[number, number, number, number]> = [[0, a.length, 0, b.length]];
  while (queue.length > 0) {
    const [alo, ahi, blo, bhi] = queue.pop() as [number, number, number, number];
    const [i, j, k] = longestMatch(a, b, b2j, alo, ahi, blo, bhi);
    if (k > 0) {
      matches += k;
      if (alo < i && blo < j) queue.push([alo, i, blo, j]);
      if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
    }
  }
  return (2 * matches) / total;
}

function longestMatch(
  a: readonly string[],
  b: readonly string[],
  b2j: Map<string, number[]>,
  alo: number,
  ahi: number,
  blo: number,
  bhi: number,
): [number, number, number] {
  let besti = alo;
  let bestj = blo;
  let bestsize = 0;
  let j2len = new Map<number, number>();
  for (let i = alo; i < ahi; i++) {
    const next = new Map<number, number>();
    for (const j of b2j.get(a[i] as string) ?? []) {
      if (j < blo) continue;
      if (j >= bhi) break;
      const k = (j2len.get(j - 1) ?? 0) + 1;
      next.set(j, k);
      if (k > bestsize) {
        besti = i - k + 1;
        bestj = j - k + 1;
        bestsize = k;
      }
    }
    j2len = next;
  }
  // Without a junk function only the "popular" elements dropped by autojunk can extend a match.
  while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) {
    besti--;
    bestj--;
    bestsize++;
  }
  while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) bestsize++;
  return [besti, bestj, bestsize];
}
