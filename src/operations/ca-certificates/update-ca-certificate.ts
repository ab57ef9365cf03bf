import { caUpdateRule } from '../../domain/ca-certificates/ca-certificate-lifecycle.js';
import type { RegistrationConfig } from '../../domain/ca-certificates/ca-certificate-record.js';
import type {
  AutoRegistrationStatus,
  CaCertificateStatus,
} from '../../domain/ca-certificates/ca-certificate-status.js';
import { serviceErrors } from '../../errors.js';
import { UpdateCACertificate } from '../../model/ca-certificates.js';
import { EXAMPLE_CA_CERTIFICATE_ID } from '../cli-example-values.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { presentConfig } from './register-ca-certificate.js';

export interface UpdateCACertificateInput {
  readonly certificateId: string;
  readonly newStatus?: CaCertificateStatus;
  readonly newAutoRegistrationStatus?: AutoRegistrationStatus;
  readonly registrationConfig?: RegistrationConfig;
  readonly removeAutoRegistration?: boolean;
}

export const updateCACertificate = defineOperation({
  model: UpdateCACertificate,
  run,
  cli: {
    examples: [
      {
        title: 'To deactivate a CA certificate',
        description: 'Devices with certificates from an inactive CA can no longer register automatically.',
        command: `fleetca iot update-ca-certificate --certificate-id ${EXAMPLE_CA_CERTIFICATE_ID} --new-status INACTIVE`,
      },
    ],
  },
});

/** ACTIVE ⇄ INACTIVE, ENABLE ⇄ DISABLE, and the registration configuration replaced or removed. */
async function run(input: UpdateCACertificateInput, ctx: OperationContext): Promise<void> {
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
