/**
 * The deepest nesting of objects and arrays in a JSON text, found by scanning it once without recursion, so a
 * body like "[[[[...]]]]" is refused before anything walks it recursively. Brackets inside strings do not count.
 * Stops counting once `limit` is exceeded.
 */
export function jsonNestingDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{' || char === '[') {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (char === '}' || char === ']') depth--;
  }
  return deepest;
}
