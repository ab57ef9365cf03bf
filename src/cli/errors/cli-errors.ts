/**
 * The error kinds of the CLI. Each maps to one exit code and one stderr layout in
 * report-error.ts, mirroring the exception handler chain of AWS CLI v2 (awscli/errorhandler.py).
 */

/** A structured error: rendered `An error occurred (<code>): <message>` in the default error format. */
export abstract class StructuredCliError extends Error {
  abstract readonly code: string;
}

/** botocore/awscli ParamValidationError, ParamError, ArgParseException: exit 252. */
export class ParamValidationError extends StructuredCliError {
  override readonly name = 'ParamValidationError';
  readonly code = 'ParamValidation';
}

/**
 * An argparse error (`argparse.error()`): the message gets the usage block appended, then it is
 * reported like a ParamValidationError.
 */
export class ArgParseError extends ParamValidationError {
  constructor(readonly argparseMessage: string) {
    super(argparseMessage);
  }
}

/** `Unknown options: a, b`: printed after the usage block, never structured. Exit 252. */
export class UnknownArgumentError extends Error {
  override readonly name = 'UnknownArgumentError';
}

/** NoRegion, NoCredentials, Pager, Configuration: exit 253. */
export class ConfigurationError extends StructuredCliError {
  override readonly name = 'ConfigurationError';
  constructor(
    readonly code: 'NoRegion' | 'NoCredentials' | 'Pager' | 'Configuration',
    message: string,
  ) {
    super(message);
  }
}

/** A service error on a named operation (botocore ClientError): exit 254. */
export class ClientError extends StructuredCliError {
  override readonly name = 'ClientError';
  constructor(
    readonly code: string,
    readonly serviceMessage: string,
    readonly operationName: string,
    /** Extra modeled members of the error shape, shown under "Additional error details". */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(`An error occurred (${code}) when calling the ${operationName} operation: ${serviceMessage}`);
  }
}

/** Everything reported as a plain `<prog>: [ERROR]: <message>` with exit 255. */
export class GeneralError extends Error {
  override readonly name = 'GeneralError';
}
