import type { DevicePrincipal } from '../../domain/devices/device-principal.js';
import { isClaim } from '../../domain/devices/device-principal.js';
import { type ProvisioningRequest, parseRequestTopic, requestTopicOfResponseFilter } from './provisioning-topics.js';

/**
 * fleetca's authorization model for device connections (README "Devices over MQTT"):
 * - `$aws/...` is reserved. Only claims use it, and only the fleet-provisioning topics: the two certificate
 *   requests, and RegisterThing of the templates they are a claim for. Nothing else under `$aws/` may be
 *   published or subscribed to; answers go only to the connection that asked (never through the broker).
 * - `$aws/events/...` (the service's events: certificates registered just in time, ...) may be subscribed to by
 *   devices, as any topic, and with policies only where they allow it; only the service publishes there.
 * - Every other topic is for devices (ACTIVE registered certificates), not for temporary claims.
 * - Other `$` topics are refused.
 */
export function mayPublish(principal: DevicePrincipal, topic: string): boolean {
  if (topic.startsWith('$')) {
    const request = parseRequestTopic(topic);
    return request !== undefined && mayRequest(principal, request);
  }
  return principal.device;
}

/** The service's event topics: subscribed to by devices, published to only by fleetca. */
const EVENTS = '$aws/events/';

export function maySubscribe(principal: DevicePrincipal, filter: string): boolean {
  if (filter.startsWith(EVENTS)) return principal.device;
  if (filter.startsWith('$')) {
    const asked = requestTopicOfResponseFilter(filter);
    if (asked === undefined) return false;
    const request = parseRequestTopic(asked.anyFormat ? asked.topic.replace(/\+$/, 'json') : asked.topic);
    return request !== undefined && mayRequest(principal, request);
  }
  return principal.device;
}

function mayRequest(principal: DevicePrincipal, request: ProvisioningRequest): boolean {
  if (request.operation === 'RegisterThing') return principal.provisioningTemplates.has(request.templateName);
  return isClaim(principal);
}
