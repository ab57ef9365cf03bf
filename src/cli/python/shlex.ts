/**
 * Python's `shlex.split(text)` in POSIX mode (comments off), which the AWS CLI applies to the
 * pager command: whitespace separates words; single quotes keep everything literally; double
 * quotes keep everything but `\` before `\`, `"`, `$`, `` ` `` and newline; a bare `\` escapes the
 * next character. Throws on an unterminated quote or a trailing escape, as shlex does.
 */
export function shlexSplit(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
    } else if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error('No closing quotation');
      word = (word ?? '') + text.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '"') {
      let out = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('No closing quotation');
        const c = text[i] as string;
        if (c === '"') break;
        if (c === '\\' && i + 1 < text.length && '\\"$`\n'.includes(text[i + 1] as string)) {
          out += text[i + 1];
          i += 2;
        } else {
          out += c;
          i++;
        }
      }
      word = (word ?? '') + out;
      i++;
    } else if (ch === '\\') {
      if (i + 1 >= text.length) throw new Error('No escaped character');
      word = (word ?? '') + text[i + 1];
      i += 2;
    } else {
      word = (word ?? '') + ch;
      i++;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}
