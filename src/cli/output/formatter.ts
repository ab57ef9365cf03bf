/**
 * What an output formatter is given and how it is called: the response of one command — a single
 * parsed response, or the pages of a paginated call — and the stream to write to. json/off exist;
 * text, table, yaml and yaml-stream implement the same interface (text and yaml-stream walk
 * `pages`, the others the merged result).
 */

/** A compiled `--query` expression (JMESPath), applied by the formatter. */
export interface CompiledQuery {
  search(data: unknown): unknown;
}

/** Settings every formatter receives. */
export interface FormatterOptions {
  /** `--query`, compiled before the call; undefined when not given. */
  readonly query?: CompiledQuery;
  /** `--color` (on, off, auto); table output only. auto = colour iff stdout is a terminal. */
  readonly color?: string;
  /** The real stdout (not the pager): whether it is a terminal and, if so, its width. */
  readonly terminal?: { readonly isTTY: boolean; readonly columns?: number };
}

/** A command's response as the formatters see it. */
export type CommandResult =
  | { readonly paginated: false; readonly response: Record<string, unknown> }
  | {
      readonly paginated: true;
      /** The parsed pages in request order (text and yaml-stream format page by page). */
      readonly pages: readonly Record<string, unknown>[];
      /** The paginator's result keys (text output prints each page as these keys alone). */
      readonly resultKeys?: readonly string[];
      /** The paginator's non-aggregate members, from the first page (text output prints them with it). */
      readonly nonAggregatePart?: Readonly<Record<string, unknown>>;
      /** botocore build_full_result: result keys merged, NextToken when truncated. */
      buildFullResult(): Record<string, unknown>;
    };

/** Where formatted output goes (stdout, or stderr for structured errors later). */
export interface OutputStream {
  write(chunk: string): unknown;
}

/** One `--output` format. */
export interface OutputFormatter {
  /** Writes the command's result; `commandName` is the model operation name (table titles use it). */
  format(commandName: string, result: CommandResult, stream: OutputStream): void;
}

/** The response a fully buffered formatter (json, table, yaml) prints: pages merged, query applied. */
export function fullyBufferedResponse(result: CommandResult, options: FormatterOptions): unknown {
  const data = result.paginated ? result.buildFullResult() : result.response;
  return options.query ? options.query.search(data) : data;
}
