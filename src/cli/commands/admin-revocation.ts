import { RECORDABLE_REASONS } from '../../domain/certificates/revocation.js';
import type { Action } from '../argv/argparse.js';

/** `fleetca admin revoke-certificate`: REVOKED with a reason for CRLs and OCSP (the rest of admin is in admin.ts). */
export const REVOKE_SUBCOMMAND = 'revoke-certificate';

export const REVOKE_HELP = `
       o revoke-certificate --certificate-id ID --reason REASON
         [--account-id ID] [--region REGION]
         Revokes a certificate as "fleetca iot update-certificate
         --new-status REVOKED" does, and records the reason fleetca's CRLs
         and OCSP responses give (without one they give none). REASON is
         one of RFC 5280's: ${RECORDABLE_REASONS.join(', ')}.
         Run again on a revoked certificate, it changes only the reason.
`;

export const REVOKE_OPTIONS: readonly Action[] = [
  { optionStrings: ['--certificate-id'], kind: 'store', dest: 'certificateId', required: true },
  {
    optionStrings: ['--reason'],
    kind: 'store',
    dest: 'reason',
    required: true,
    choices: [...RECORDABLE_REASONS],
    listChoices: true,
  },
  { optionStrings: ['--account-id'], kind: 'store', dest: 'accountId' },
  { optionStrings: ['--region'], kind: 'store', dest: 'region' },
];
