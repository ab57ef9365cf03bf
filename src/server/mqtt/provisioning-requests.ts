import type { DevicePrincipal } from '../../domain/devices/device-principal.js';
import type { Scope } from '../../domain/scope.js';
import { commonFailure, FLEET_PROVISIONING_FAILURES, ServiceError } from '../../errors.js';
import {
  DeviceCreateCertificateFromCsr,
  DeviceCreateKeysAndCertificate,
  DeviceRegisterThing,
} from '../../model/fleet-provisioning.js';
import type { OperationModel } from '../../model/shapes.js';
import type { OperationContext } from '../../operations/context.js';
import { invokeOperation, isStoreUnavailable } from '../../operations/index.js';
import type { Logger } from '../logging/logger.js';
import { encodeRejection, type RejectionPayload } from './error-encoder.js';
import { decodeRequest } from './provisioning-payload.js';
import type { ProvisioningRequest } from './provisioning-topics.js';

export interface ProvisioningDependencies {
  /** The context of the principal's account and region, with the ownership-token service. */
  readonly context: (scope: Scope) => OperationContext;
  readonly logger: Logger;
}

export type ProvisioningAnswer =
  | { readonly outcome: 'accepted'; readonly body: object }
  | { readonly outcome: 'rejected'; readonly body: RejectionPayload };

/** The operation each request topic names. */
const MODELS: Readonly<Record<ProvisioningRequest['operation'], OperationModel>> = {
  CreateKeysAndCertificate: DeviceCreateKeysAndCertificate,
  CreateCertificateFromCsr: DeviceCreateCertificateFromCsr,
  RegisterThing: DeviceRegisterThing,
};

/**
 * Runs one fleet-provisioning request for the principal that published it and says what to answer: a payload
 * over `maxPayloadBytes` is refused unread, the rest decoded (json/cbor) and handed to the operation the topic
 * names. Every failure becomes a rejected answer in the documented shape; nothing here closes the connection.
 */
export async function answerProvisioningRequest(
  deps: ProvisioningDependencies,
  principal: DevicePrincipal,
  request: ProvisioningRequest,
  payload: Buffer,
  maxPayloadBytes: number,
): Promise<ProvisioningAnswer> {
  const logFailure = (err: unknown) =>
    deps.logger.error({ err, operation: request.operation }, 'provisioning request failed');
  try {
    if (payload.length > maxPayloadBytes) {
      throw new ServiceError('PayloadTooLarge', `The request payload is larger than ${maxPayloadBytes} bytes.`);
    }
    const decoded = decodeRequest(request.format, payload);
    // RegisterThing's template is named by the topic, whatever the payload says.
    const input = request.operation === 'RegisterThing' ? { ...decoded, templateName: request.templateName } : decoded;
    const output = await invokeOperation(MODELS[request.operation], input, deps.context(principal.scope), logFailure);
    return { outcome: 'accepted', body: output };
  } catch (err) {
    // A registry rule refusing (e.g. a REVOKED certificate cannot be activated) answers as the REST door would.
    if (err instanceof ServiceError) return rejected(err);
    if (isStoreUnavailable(err)) return rejected(commonFailure(FLEET_PROVISIONING_FAILURES, 'unavailable'));
    logFailure(err);
    return rejected(commonFailure(FLEET_PROVISIONING_FAILURES, 'internal'));
  }
}

function rejected(err: ServiceError): ProvisioningAnswer {
  return { outcome: 'rejected', body: encodeRejection(err) };
}
