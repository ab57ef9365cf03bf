import type { CommandResult, FormatterOptions, OutputFormatter } from './formatter.js';
import { formatText } from './text-format.js';

/**
 * The pages as the AWS CLI's TextFormatter prints them: each page reduced to its result keys
 * (null where a page lacks one; the first also holds the paginator's non-aggregate part, as
 * ListDeviceConnections' total), then `{"NextToken": {"NextToken": token}}` when --max-items truncated the output.
 */
function textPages(result: CommandResult): unknown[] {
  if (!result.paginated) return [result.response];
  const full = result.buildFullResult();
  const resultKeys = result.resultKeys ?? Object.keys(full).filter((key) => key !== 'NextToken');
  const pages: unknown[] = result.pages.map((page, i) => {
    const current: Record<string, unknown> = i === 0 ? { ...result.nonAggregatePart } : {};
    for (const key of resultKeys) current[key] = page[key] ?? null;
    return current;
  });
  if (typeof full.NextToken === 'string') pages.push({ NextToken: { NextToken: full.NextToken } });
  return pages;
}

/**
 * AWS CLI v2's TextFormatter: `--query` and the text layout applied page by page, so a paginated
 * command prints as it goes rather than once on the merged result.
 */
export function createTextFormatter(options: FormatterOptions): OutputFormatter {
  return {
    format(_commandName, result, stream) {
      for (const page of textPages(result)) {
        const data = options.query ? options.query.search(page) : page;
        const text = formatText(data);
        if (text !== '') stream.write(text);
      }
    },
  };
}
