import { pyJsonDumps } from '../python/json.js';
import { type FormatterOptions, fullyBufferedResponse, type OutputFormatter } from './formatter.js';

/**
 * AWS CLI v2's JSONFormatter: `json.dump(response, indent=4, ensure_ascii=False)` plus a newline;
 * a response that is exactly `{}` prints nothing at all.
 */
export function createJsonFormatter(options: FormatterOptions): OutputFormatter {
  return {
    format(_commandName, result, stream) {
      const response = fullyBufferedResponse(result, options);
      if (isEmptyObject(response)) return;
      stream.write(`${pyJsonDumps(response, { indent: 4, ensureAscii: false })}\n`);
    },
  };
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}
