import { RECORDABLE_REASONS } from '../domain/certificates/revocation.js';
import { CLAIM_KINDS } from '../domain/provisioning/claim-kind.js';
import { member, type OperationModel, type StringShape, type StructureShape, structure } from './shapes.js';

/**
 * fleetca's own administration API: accounts, their SigV4 access keys, and long-lived provisioning claims. It has
 * no AWS counterpart and no REST route yet; `fleetca admin` runs these operations in-process, and the server or a
 * console can offer them later from the same declarations. Claim operations act in the context's account and
 * region; account operations span the whole registry.
 */

const accountId: StringShape = { type: 'string', min: 12, max: 12, pattern: '[0-9]{12}' };
// IAM's AccessKeyId constraint: wider than the ids fleetca makes, so a foreign-looking id is unknown, not malformed.
const accessKeyId: StringShape = { type: 'string', min: 16, max: 128, pattern: '\\w+' };
const secretAccessKey: StringShape = { type: 'string', min: 40, max: 40, sensitive: true };
const certificateId: StringShape = { type: 'string', min: 64, max: 64, pattern: '[0-9a-f]{64}' };
const templateName: StringShape = { type: 'string', min: 1, max: 36, pattern: '[0-9A-Za-z_-]+' };
const region: StringShape = { type: 'string', min: 1, max: 63 };
const claimKind: StringShape = { type: 'string', enum: CLAIM_KINDS };
const date = { type: 'timestamp' } as const;

const newAccessKey: StructureShape = structure({
  accountId: member(accountId, 'The account the key signs requests as.'),
  accessKeyId: member(accessKeyId, 'The access key id.'),
  secretAccessKey: member(secretAccessKey, 'The secret access key; shown this once, never again.'),
});

const accountSummary: StructureShape = structure({
  accountId: member(accountId, 'The account id.'),
  createdAt: member(date, 'When the account was created.'),
});

const accessKeySummary: StructureShape = structure({
  accessKeyId: member(accessKeyId, 'The access key id.'),
  createdAt: member(date, 'When the key was created.'),
});

const claimGrant: StructureShape = structure({
  accountId: member(accountId, 'The account the grant belongs to.'),
  region: member(region, 'The region the grant belongs to.'),
  certificateId: member(certificateId, 'The certificate that may use the template as a claim.'),
  templateName: member(templateName, 'The FLEET_PROVISIONING template.'),
});

const claimSummary: StructureShape = structure({
  certificateId: member(certificateId, 'The claim certificate.'),
  templateName: member(templateName, 'The template it may provision with.'),
  kind: member(claimKind, 'registered (a long-lived grant) or temporary (from CreateProvisioningClaim).'),
  createdAt: member(date, 'When the claim was made.'),
  expiresAt: member(date, 'When a temporary claim expires; absent for grants.'),
});

const grantInput: StructureShape = structure(
  {
    certificateId: member(certificateId, 'The ID of a registered certificate of the account and region.'),
    templateName: member(templateName, 'The name of a provisioning template of the account and region.'),
  },
  ['certificateId', 'templateName'],
);

export const CreateAccount: OperationModel = {
  name: 'CreateAccount',
  input: structure({ accountId: member(accountId, 'The new account id; random when absent.') }),
  output: newAccessKey,
  errors: ['InvalidRequestException', 'ResourceAlreadyExistsException'],
  documentation: 'Creates an account and its first access key.',
};

export const CreateAccessKey: OperationModel = {
  name: 'CreateAccessKey',
  input: structure({ accountId: member(accountId, 'The account the key is for.') }, ['accountId']),
  output: newAccessKey,
  errors: ['InvalidRequestException', 'ResourceNotFoundException'],
  documentation: 'Creates another access key for an account.',
};

export const ListAccounts: OperationModel = {
  name: 'ListAccounts',
  input: structure({}),
  output: structure({ accounts: member({ type: 'list', member: accountSummary }, 'The accounts, by id.') }),
  errors: [],
  documentation: 'Lists the accounts and when they were created.',
};

export const ListAccessKeys: OperationModel = {
  name: 'ListAccessKeys',
  input: structure({ accountId: member(accountId, 'The account whose keys are listed.') }, ['accountId']),
  output: structure({
    accessKeys: member({ type: 'list', member: accessKeySummary }, 'The keys, oldest first, without secrets.'),
  }),
  errors: ['InvalidRequestException', 'ResourceNotFoundException'],
  documentation: "Lists an account's access key ids and creation dates (never secrets).",
};

export const DeleteAccessKey: OperationModel = {
  name: 'DeleteAccessKey',
  input: structure({ accessKeyId: member(accessKeyId, 'The key to delete.') }, ['accessKeyId']),
  errors: ['InvalidRequestException', 'ResourceNotFoundException'],
  documentation: 'Deletes an access key; requests signed with it are refused from then on.',
};

export const DeleteAccount: OperationModel = {
  name: 'DeleteAccount',
  input: structure({ accountId: member(accountId, 'The account to delete.') }, ['accountId']),
  errors: ['InvalidRequestException', 'ResourceNotFoundException', 'DeleteConflictException'],
  documentation: 'Deletes an account that has no access keys left.',
};

export const GrantClaim: OperationModel = {
  name: 'GrantClaim',
  input: grantInput,
  output: claimGrant,
  errors: [
    'InvalidRequestException',
    'ResourceNotFoundException',
    'CertificateStateException',
    'CertificateConflictException',
  ],
  documentation:
    'Lets a registered, ACTIVE certificate use the fleet-provisioning topics of a FLEET_PROVISIONING template, ' +
    'as a claim that does not expire. Granting it again changes nothing.',
};

export const RevokeClaim: OperationModel = {
  name: 'RevokeClaim',
  input: grantInput,
  errors: ['InvalidRequestException', 'ResourceNotFoundException'],
  documentation: 'Withdraws a long-lived claim; devices using the certificate can no longer provision with it.',
};

export const ListClaims: OperationModel = {
  name: 'ListClaims',
  input: structure({}),
  output: structure({
    claims: member(
      { type: 'list', member: claimSummary },
      'The grants and unexpired temporary claims, by certificate id then template name.',
    ),
  }),
  errors: [],
  documentation: 'Lists the long-lived grants and the unexpired temporary claims of an account and region.',
};

export const RevokeCertificate: OperationModel = {
  name: 'RevokeCertificate',
  input: structure(
    {
      certificateId: member(certificateId, 'The ID of a certificate of the account and region.'),
      reason: member(
        { type: 'string', enum: RECORDABLE_REASONS },
        'The RFC 5280 CRLReason CRLs and OCSP give: keyCompromise, superseded, cessationOfOperation, ...',
      ),
    },
    ['certificateId', 'reason'],
  ),
  output: structure({
    certificateId: member(certificateId, 'The certificate.'),
    status: member({ type: 'string' }, 'REVOKED.'),
    reason: member({ type: 'string' }, 'The reason recorded.'),
  }),
  errors: ['InvalidRequestException', 'ResourceNotFoundException', 'CertificateStateException'],
  documentation:
    "Revokes a certificate as UpdateCertificate's REVOKED does, and records the reason fleetca's CRLs and OCSP " +
    'responses give. Revoking a revoked certificate again changes only its reason.',
};

/** explain-authorization's actions: the MQTT data-plane actions, as a device's request asks them. */
export const EXPLAINED_ACTIONS = ['connect', 'publish', 'retain-publish', 'subscribe', 'receive'] as const;

const policyName: StringShape = { type: 'string', min: 1, max: 128 };

const decidingStatement: StructureShape = structure({
  policyName: member(policyName, 'The policy.'),
  policyVersionId: member({ type: 'string' }, 'The version of the policy evaluated: its default version.'),
  statementIndex: member({ type: 'integer' }, 'The position of the statement in the Statement list, from 0.'),
  sid: member({ type: 'string' }, "The statement's Sid, when it has one."),
  effect: member({ type: 'string' }, 'Allow or Deny.'),
});

const variableValue: StructureShape = structure({
  name: member({ type: 'string' }, 'The policy variable or condition key, as the policies name it.'),
  value: member({ type: 'string' }, 'Its value for this principal; absent when it has none.'),
  values: member({ type: 'list', member: { type: 'string' } }, 'Its values, for a multi-valued key (….List).'),
});

const policyNames = (documentation: string) => member({ type: 'list', member: policyName }, documentation);

export const ExplainAuthorization: OperationModel = {
  name: 'ExplainAuthorization',
  input: structure(
    {
      principal: member({ type: 'string' }, 'The certificate ARN the device connects with.'),
      action: member({ type: 'string', enum: EXPLAINED_ACTIONS }, 'The action the device asks for.'),
      resource: member(
        { type: 'string', min: 1, max: 2048 },
        'The resource ARN it asks for: client/CLIENT_ID, topic/TOPIC or topicfilter/FILTER.',
      ),
      clientId: member({ type: 'string' }, 'The MQTT client ID of the connection.'),
      sourceIp: member({ type: 'string' }, 'The address the device connects from (aws:SourceIp).'),
    },
    ['principal', 'action', 'resource'],
  ),
  output: structure({
    decision: member({ type: 'string' }, 'ALLOWED, EXPLICIT_DENY or IMPLICIT_DENY, as TestAuthorization decides.'),
    decidingStatements: member(
      { type: 'list', member: decidingStatement },
      'The statements that decided: the matching Deny statements, else the matching Allow statements.',
    ),
    policies: member(
      {
        type: 'list',
        member: structure({
          policyName: member(policyName, 'The policy.'),
          policyVersionId: member({ type: 'string' }, 'Its default version, the one evaluated.'),
        }),
      },
      'The policies evaluated: those attached to the certificate, by name.',
    ),
    allowedBy: policyNames('The policies with a matching Allow statement.'),
    explicitDenyBy: policyNames('The policies with a matching Deny statement.'),
    implicitDenyBy: policyNames('The policies with no matching statement.'),
    missingContextValues: member(
      { type: 'list', member: { type: 'string' } },
      'The variables and condition keys a statement needed and had no value for.',
    ),
    variables: member(
      { type: 'list', member: variableValue },
      'Every policy variable and condition key the policies read, with the value it took.',
    ),
  }),
  errors: ['InvalidRequestException', 'ResourceNotFoundException', 'MalformedPolicyException'],
  documentation:
    'Explains how the policies of a certificate decide one device request: the decision, the statements that ' +
    'made it, and the value each policy variable took.',
};
