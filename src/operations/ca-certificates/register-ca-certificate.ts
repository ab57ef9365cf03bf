import { randomUUID } from 'node:crypto';
import { toPem } from '../../ca/pem.js';
import type { SubmittedCertificate } from '../../ca/submitted-certificate.js';
import { caRegistrationRule } from '../../domain/ca-certificates/ca-certificate-lifecycle.js';
import {
  type CaCertificateRecord,
  caCertificateArn,
  type RegistrationConfig,
  type ResourceTag,
} from '../../domain/ca-certificates/ca-certificate-record.js';
import type { CertificateMode } from '../../domain/certificates/certificate-status.js';
import { ServiceError, serviceErrors } from '../../errors.js';
import { RegisterCACertificate } from '../../model/ca-certificates.js';
import { submittedCertificate } from '../certificates/submitted-certificates.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { checkedTags } from '../resource-tags.js';

export interface RegisterCACertificateInput {
  readonly caCertificate: string;
  readonly verificationCertificate?: string;
  readonly setAsActive?: boolean;
  readonly allowAutoRegistration?: boolean;
  readonly registrationConfig?: RegistrationConfig;
  readonly tags?: readonly ResourceTag[];
  readonly certificateMode?: CertificateMode;
}

export const registerCACertificate = defineOperation({
  model: RegisterCACertificate,
  run,
  cli: {
    examples: [
      {
        title: 'To register your own CA with proof of possession',
        description:
          'Registers a CA certificate together with a verification certificate it signed, whose common name is the registration code.',
        command:
          'fleetca iot register-ca-certificate --ca-certificate file://rootCA.pem --verification-certificate file://verification.pem --set-as-active --allow-auto-registration',
      },
    ],
  },
});

/**
 * Registers a CA certificate. In DEFAULT mode the caller proves possession of the CA key with a
 * verification certificate the CA signed whose common name is the account's registration code;
 * SNI_ONLY needs (and accepts) no such proof.
 */
async function run(input: RegisterCACertificateInput, ctx: OperationContext) {
  const mode = input.certificateMode ?? 'DEFAULT';
  if (mode === 'DEFAULT' && input.verificationCertificate === undefined) {
    throw serviceErrors.invalidRequest('verificationCertificate is required when certificateMode is DEFAULT');
  }
  if (mode === 'SNI_ONLY' && input.verificationCertificate !== undefined) {
    throw serviceErrors.invalidRequest('verificationCertificate must be empty when certificateMode is SNI_ONLY');
  }
  const tags = checkedTags(input.tags ?? []);
  const ca = submittedCertificate(input.caCertificate, 'CA certificate');
  checkIsCa(ca);
  if (input.verificationCertificate !== undefined) await checkVerification(ctx, ca, input.verificationCertificate);

  const created = ctx.now().getTime();
  const registrationConfig = presentConfig(input.registrationConfig);
  const record: CaCertificateRecord = {
    ...ctx.scope,
    certificateId: ca.certificateId,
    status: input.setAsActive === true ? 'ACTIVE' : 'INACTIVE',
    certificatePem: toPem('CERTIFICATE', ca.der),
    subjectHash: ca.subjectHash,
    ownedBy: ctx.scope.accountId,
    creationDate: created,
    lastModifiedDate: created,
    customerVersion: 1,
    generationId: randomUUID(),
    autoRegistrationStatus: input.allowAutoRegistration === true ? 'ENABLE' : 'DISABLE',
    notBefore: ca.notBefore.getTime(),
    notAfter: ca.notAfter.getTime(),
    certificateMode: mode,
    ...(registrationConfig && { registrationConfig }),
    tags,
  };
  await ctx.registry.caCertificates.registerCaCertificate(record, caRegistrationRule(record));
  return { certificateArn: caCertificateArn(ctx.scope, ca.certificateId), certificateId: ca.certificateId };
}

/**
 * A CA certificate must say it is one, and a self-issued one (issuer and subject the same name, however encoded)
 * must verify with its own key.
 */
function checkIsCa(ca: SubmittedCertificate): void {
  if (!ca.isCa) {
    throw serviceErrors.certificateValidation('CA certificate does not have the basicConstraints extension as true');
  }
  if (ca.selfIssued && !ca.isSignedBy(ca)) {
    throw serviceErrors.certificateValidation('The self-signed CA certificate is not signed by its own key');
  }
}

/** Proof of possession: signed by the CA's key, common name equal to this account's registration code. */
async function checkVerification(ctx: OperationContext, ca: SubmittedCertificate, pem: string): Promise<void> {
  const verification = submittedCertificate(pem, 'verification certificate');
  // Only read: a code nobody asked for yet cannot have been put into a certificate.
  const code = await ctx.registry.scopeIdentifiers.get(ctx.scope, 'registration-code');
  if (code === undefined || !verification.commonNames.includes(code)) {
    throw new ServiceError(
      'RegistrationCodeValidationException',
      'The common name of the verification certificate is not the registration code of this account',
    );
  }
  if (!verification.isSignedBy(ca)) {
    throw serviceErrors.certificateValidation('The verification certificate is not signed by the CA certificate');
  }
}

/** The configuration with only the members that were given; undefined when none was. */
export function presentConfig(config: RegistrationConfig | undefined): RegistrationConfig | undefined {
  if (!config) return undefined;
  const present: RegistrationConfig = {
    ...(config.templateBody !== undefined && { templateBody: config.templateBody }),
    ...(config.roleArn !== undefined && { roleArn: config.roleArn }),
    ...(config.templateName !== undefined && { templateName: config.templateName }),
  };
  return Object.keys(present).length > 0 ? present : undefined;
}
