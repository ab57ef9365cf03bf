import { ClaimGrantError, claimGrantRule, noSuchGrant } from '../../domain/provisioning/claim-grant.js';
import type { Home } from '../../home/open-home.js';
import type { Scope } from '../../registry/certificate-record.js';
import type { Action } from '../argv/argparse.js';
import { GeneralError, ParamValidationError } from '../errors/cli-errors.js';
import type { CliIO } from '../io.js';
import { formatIsoTimestamp } from '../output/iso-timestamp.js';

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

/** Runs a claim subcommand; returns what to print (nothing for revoke-claim). */
export async function runClaimSubcommand(
  subcommand: ClaimSubcommand,
  options: ClaimOptions & { readonly accountId?: string },
  home: Home,
  io: CliIO,
): Promise<Record<string, unknown> | undefined> {
  const configured = home.defaultScope(options.region);
  const scope: Scope = { accountId: options.accountId ?? configured.accountId, region: configured.region };
  const claims = home.registry.provisioningClaims;
  const date = (epochMs: number) => formatIsoTimestamp(epochMs, io.env.TZ);
  try {
    switch (subcommand) {
      case 'grant-claim': {
        const { certificateId, templateName } = options as Required<ClaimOptions>;
        await claims.grant(
          scope,
          certificateId,
          templateName,
          Date.now(),
          claimGrantRule(scope, certificateId, templateName),
        );
        return { accountId: scope.accountId, region: scope.region, certificateId, templateName };
      }
      case 'revoke-claim': {
        const { certificateId, templateName } = options as Required<ClaimOptions>;
        if (!(await claims.revoke(scope, certificateId, templateName))) {
          throw noSuchGrant(scope, certificateId, templateName);
        }
        return undefined;
      }
      case 'list-claims':
        return {
          claims: (await claims.listClaims(scope, Date.now())).map((claim) => ({
            certificateId: claim.certificateId,
            templateName: claim.templateName,
            kind: claim.kind,
            createdAt: date(claim.createdAt),
            ...(claim.expiresAt !== undefined && { expiresAt: date(claim.expiresAt) }),
          })),
        };
    }
  } catch (error) {
    // The registry's refusals are the operator's input meeting its state: one line, exit 255.
    if (error instanceof ClaimGrantError) throw new GeneralError(error.message);
    throw error;
  }
}
