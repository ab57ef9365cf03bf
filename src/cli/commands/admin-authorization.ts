import { EXPLAINED_ACTIONS } from '../../model/admin.js';
import type { Action } from '../argv/argparse.js';
import { ParamValidationError } from '../errors/cli-errors.js';

/**
 * `fleetca admin explain-authorization`: what `fleetca iot test-authorization` decides (and the AWS CLI prints
 * exactly), explained — the statements that decided and the value of every policy variable. The rest of admin is in
 * admin.ts.
 */
export const EXPLAIN_SUBCOMMAND = 'explain-authorization';

export const EXPLAIN_HELP = `
       o explain-authorization --principal CERTIFICATE_ARN --action ACTION
         --resource ARN [--client-id ID] [--source-ip IP]
         [--account-id ID] [--region REGION]
         Evaluates the policies attached to the certificate for one device
         request, as the device endpoint and "fleetca iot test-authorization"
         do, and explains the decision: the statements that made it (policy,
         version, statement index, Sid, effect), the policies that allowed,
         denied or said nothing, the context values that were missing, and
         the value every policy variable took. ACTION is connect, publish,
         retain-publish, subscribe or receive; ARN is the resource as a
         policy names it, e.g. arn:aws:iot:REGION:ACCOUNT:topic/sensors/1.
`;

const required = (option: string, dest: string): Action => ({
  optionStrings: [option],
  kind: 'store',
  dest,
  required: true,
});

export const EXPLAIN_OPTIONS: readonly Action[] = [
  required('--principal', 'principal'),
  { ...required('--action', 'action'), choices: [...EXPLAINED_ACTIONS] },
  required('--resource', 'resource'),
  { optionStrings: ['--client-id'], kind: 'store', dest: 'clientId' },
  { optionStrings: ['--source-ip'], kind: 'store', dest: 'sourceIp' },
  { optionStrings: ['--account-id'], kind: 'store', dest: 'accountId' },
  { optionStrings: ['--region'], kind: 'store', dest: 'region' },
];

export interface ExplainOptions {
  readonly principal?: string;
  readonly action?: string;
  readonly resource?: string;
  readonly clientId?: string;
  readonly sourceIp?: string;
}

/** The explain options as the operation's input members; the operation checks their values. */
export function explainOptions(values: Readonly<Record<string, unknown>>): ExplainOptions {
  const text = (name: string) => {
    const value = values[name];
    if (value !== undefined && typeof value !== 'string') throw new ParamValidationError(`Invalid value for ${name}`);
    return value;
  };
  const options: Record<string, string> = {};
  for (const name of ['principal', 'action', 'resource', 'clientId', 'sourceIp']) {
    const value = text(name);
    if (value !== undefined) options[name] = value;
  }
  return options;
}
