import type { ServiceError } from '../../errors.js';

/** A refused fleet-provisioning request, as the device reads it on `…/rejected` (reference §4.2). */
export interface RejectionPayload {
  readonly statusCode: number;
  readonly errorCode: string;
  readonly errorMessage: string;
}

/** A service error as the MQTT fleet-provisioning API sends it: the registry's status, the code, the message. */
export function encodeRejection(error: ServiceError): RejectionPayload {
  return { statusCode: error.status, errorCode: error.code, errorMessage: error.message };
}
