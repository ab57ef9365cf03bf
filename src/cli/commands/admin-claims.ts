import type { Scope } from '../../domain/scope.js';
import type { Home } from '../../home/open-home.js';
import type { Action } from '../argv/argparse.js';
import { ParamValidationError } from '../errors/cli-errors.js';

/** `fleetca admin` subcommands for long-lived provisioning claims (the rest of admin is in admin.ts). */
export type ClaimSubcommand = 'grant-claim' | 'revoke-claim' | 'list-claims';

export const CLAIM_HELP = `
       o grant-claim --certificate-id ID --template-name NAME
         [--account-id ID] [--region REGION]
         Lets a registered, ACTIVE certificate use the fleet-provisioning
         topics of a FLEET_PROVISIONING template, as a claim that does not
         expire. Prints the grant. Granting it again changes nothing.

       o revoke-claim --certificate-id ID --template-name NAME
         [--account-id ID] [--region REGION]
         Withdraws such a grant; devices using the certificate can no longer
         provision with the template.

       o list-claims [--account-id ID] [--region REGION]
         Lists the grants and the unexpired temporary claims (from
         CreateProvisioningClaim) of an account and region.

       The claim commands act for the account of config.json and its
       defaultRegion unless --account-id or --region say otherwise.
`;

const CERTIFICATE_ID: Action = {
  optionStrings: ['--certificate-id'],
  kind: 'store',
  dest: 'certificateId',
  required: true,
};
const TEMPLATE_NAME: Action = {
  optionStrings: ['--template-name'],
  kind: 'store',
  dest: 'templateName',
  required: true,
};
const ACCOUNT_ID: Action = { optionStrings: ['--account-id'], kind: 'store', dest: 'accountId' };
const REGION: Action = { optionStrings: ['--region'], kind: 'store', dest: 'region' };

export const CLAIM_OPTIONS: Readonly<Record<ClaimSubcommand, readonly Action[]>> = {
  'grant-claim': [CERTIFICATE_ID, TEMPLATE_NAME, ACCOUNT_ID, REGION],
  'revoke-claim': [CERTIFICATE_ID, TEMPLATE_NAME, ACCOUNT_ID, REGION],
  'list-claims': [ACCOUNT_ID, REGION],
};

export function isClaimSubcommand(subcommand: string): subcommand is ClaimSubcommand {
  return Object.hasOwn(CLAIM_OPTIONS, subcommand);
}

export interface ClaimOptions {
  readonly certificateId?: string;
  readonly templateName?: string;
  readonly region?: string;
}

const CERTIFICATE_ID_PATTERN = /^[0-9a-f]{64}$/;
const TEMPLATE_NAME_PATTERN = /^[0-9A-Za-z_-]{1,36}$/;
const REGION_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Checked before the data directory is opened, so a typo never creates one. */
export function checkClaimOptions(values: Readonly<Record<string, unknown>>): ClaimOptions {
  const certificateId = values.certificateId as string | undefined;
  const templateName = values.templateName as string | undefined;
  const region = values.region as string | undefined;
  const refuse = (option: string, value: string, what: string) =>
    new ParamValidationError(`Invalid value for ${option}: ${JSON.stringify(value)} is not ${what}`);
  if (certificateId !== undefined && !CERTIFICATE_ID_PATTERN.test(certificateId)) {
    throw refuse('--certificate-id', certificateId, 'a certificate id (64 lowercase hex characters)');
  }
  if (templateName !== undefined && !TEMPLATE_NAME_PATTERN.test(templateName)) {
    throw refuse('--template-name', templateName, 'a template name (1 to 36 letters, digits, - or _)');
  }
  if (region !== undefined && !REGION_PATTERN.test(region)) {
    throw refuse('--region', region, 'a region name such as us-east-1');
  }
  return {
    ...(certificateId !== undefined && { certificateId }),
    ...(templateName !== undefined && { templateName }),
    ...(region !== undefined && { region }),
  };
}

/** The account and region a claim command acts in: config.json's account and default region unless the options say. */
export function claimScope(home: Home, accountId: string | undefined, region: string | undefined): Scope {
  const configured = home.defaultScope(region);
  return { accountId: accountId ?? configured.accountId, region: configured.region };
}
