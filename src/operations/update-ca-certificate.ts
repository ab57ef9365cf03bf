import { caUpdateRule } from '../domain/ca-certificates/ca-certificate-lifecycle.js';
import type { AutoRegistrationStatus, CaCertificateStatus } from '../domain/ca-certificates/ca-certificate-status.js';
import { serviceErrors } from '../errors.js';
import type { RegistrationConfig } from '../registry/ca-certificate-record.js';
import type { OperationContext } from './context.js';
import { presentConfig } from './register-ca-certificate.js';

export interface UpdateCACertificateInput {
  readonly certificateId: string;
  readonly newStatus?: CaCertificateStatus;
  readonly newAutoRegistrationStatus?: AutoRegistrationStatus;
  readonly registrationConfig?: RegistrationConfig;
  readonly removeAutoRegistration?: boolean;
}

/** ACTIVE ⇄ INACTIVE, ENABLE ⇄ DISABLE, and the registration configuration replaced or removed. */
export async function updateCACertificate(input: UpdateCACertificateInput, ctx: OperationContext): Promise<void> {
  const registrationConfig = presentConfig(input.registrationConfig);
  // Replacing and removing the configuration in one request contradict each other.
  if (input.removeAutoRegistration === true && registrationConfig !== undefined) {
    throw serviceErrors.invalidRequest('registrationConfig cannot be given together with removeAutoRegistration');
  }
  const rule = caUpdateRule(
    {
      ...(input.newStatus !== undefined && { newStatus: input.newStatus }),
      ...(input.newAutoRegistrationStatus !== undefined && {
        newAutoRegistrationStatus: input.newAutoRegistrationStatus,
      }),
      ...(registrationConfig && { registrationConfig }),
      ...(input.removeAutoRegistration !== undefined && { removeAutoRegistration: input.removeAutoRegistration }),
    },
    ctx.now().getTime(),
  );
  await ctx.registry.caCertificates.updateCaCertificate(ctx.scope, input.certificateId, rule);
}
