import type { DevicePrincipal } from '../../domain/devices/device-principal.js';
import { isClaim } from '../../domain/devices/device-principal.js';
import { type ProvisioningRequest, parseRequestTopic, requestTopicOfResponseFilter } from './provisioning-topics.js';

/**
 * fleetca's authorization model for device connections (README "Devices over MQTT"):
 * - `$aws/...` is reserved. Claims use only the fleet-provisioning topics: the two certificate requests, and
 *   RegisterThing of the templates they are a claim for; answers go only to the connection that asked (never
 *   through the broker). Devices may subscribe to the events fleetca publishes under `$aws/events/` (presence,
 *   registry: events/), which no client may publish to. Nothing else under `$aws/` may be published or subscribed to.
 * - Every other topic is for devices (ACTIVE registered certificates), not for temporary claims.
 * - Other `$` topics are refused.
 * With policies, what passes here is then decided by the policies (authorization/connection-authority.ts).
 */

/** Where the server publishes its events: topics only it publishes to, devices may subscribe to. */
export const EVENTS_PREFIX = '$aws/events/';

export function mayPublish(principal: DevicePrincipal, topic: string): boolean {
  if (topic.startsWith('$')) {
    const request = parseRequestTopic(topic);
    return request !== undefined && mayRequest(principal, request);
  }
  return principal.device;
}

export function maySubscribe(principal: DevicePrincipal, filter: string): boolean {
  if (filter.startsWith(EVENTS_PREFIX)) return principal.device;
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
