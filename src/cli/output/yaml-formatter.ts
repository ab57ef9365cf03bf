import { pyJsonDumps } from '../python/json.js';
import { type FormatterOptions, fullyBufferedResponse, type OutputFormatter, type OutputStream } from './formatter.js';
import { emitYamlDocument } from './yaml/yaml-emitter.js';

function isEmptyMapping(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}

/**
 * The AWS CLI's YAMLDumper: collections as a YAML document; a bare scalar (string, number,
 * boolean, null) as `json.dump(value, ensure_ascii=False)` plus a newline, which avoids YAML's
 * `...` document-end marker.
 */
export function dumpYaml(value: unknown, stream: OutputStream): void {
  if (Array.isArray(value) || (typeof value === 'object' && value !== null)) {
    stream.write(emitYamlDocument(value as Record<string, unknown>));
  } else {
    stream.write(`${pyJsonDumps(value ?? null, { ensureAscii: false })}\n`);
  }
}

/** `--output yaml`: pages merged, query applied once, `{}` prints nothing. */
export function createYamlFormatter(options: FormatterOptions): OutputFormatter {
  return {
    format(_commandName, result, stream) {
      const response = fullyBufferedResponse(result, options);
      if (isEmptyMapping(response)) return;
      dumpYaml(response, stream);
    },
  };
}

/**
 * `--output yaml-stream`: every page (query applied per page) as its own one-item list, so the
 * output can be written while later pages are still coming. A non-paginated `{}` prints nothing;
 * an empty page still prints `- {}`.
 */
export function createYamlStreamFormatter(options: FormatterOptions): OutputFormatter {
  const transform = (page: Record<string, unknown>) => (options.query ? options.query.search(page) : page);
  return {
    format(_commandName, result, stream) {
      if (result.paginated) {
        for (const page of result.pages) dumpYaml([transform(page)], stream);
        return;
      }
      const response = transform(result.response);
      if (isEmptyMapping(response)) return;
      dumpYaml([response], stream);
    },
  };
}
