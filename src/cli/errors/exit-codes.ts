/** AWS CLI v2 return codes (awscli/constants.py). */
export const EXIT = {
  ok: 0,
  /** argparse errors, unknown options, parameter validation, outfile directory not writable. */
  paramValidation: 252,
  /** No region, no credentials, pager, configuration errors. */
  configuration: 253,
  /** The service answered with an error. */
  clientError: 254,
  /** Everything else. */
  general: 255,
} as const;
