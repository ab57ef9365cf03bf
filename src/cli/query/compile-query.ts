import { GeneralError, ParamValidationError } from '../errors/cli-errors.js';
import type { CompiledQuery } from '../output/formatter.js';
import { evaluateAst } from './jmespath-engine.js';
import { QuerySyntaxError } from './query-errors.js';
import { parseQuery } from './query-parser.js';

/**
 * awscli globalargs `_resolve_query`: `--query` is compiled right after the global options are
 * parsed, before anything is sent; a syntax error is `Bad value for --query <expr>: <jmespath.py
 * error>` (exit 252). Errors while evaluating (unknown function, wrong argument type or count)
 * happen after the call and are general errors (exit 255) with jmespath.py's texts.
 */
export function compileQuery(expression: string): CompiledQuery {
  let ast: ReturnType<typeof parseQuery>;
  try {
    ast = parseQuery(expression);
  } catch (error) {
    if (error instanceof QuerySyntaxError) {
      throw new ParamValidationError(`Bad value for --query ${expression}: ${error.describe(expression)}`);
    }
    throw error;
  }
  return {
    search(data: unknown): unknown {
      try {
        return evaluateAst(ast, data);
      } catch (error) {
        throw new GeneralError(error instanceof Error ? error.message : String(error));
      }
    },
  };
}
