import type { DevicePrincipal } from '../../../domain/devices/device-principal.js';
import type { DataAction } from '../../../domain/policies/authorization-request.js';
import type { Authorizer } from '../../../domain/policies/authorizer.js';
import { partitionOf } from '../../../domain/scope.js';
import { mayPublish as mayPublishPermissively, maySubscribe as maySubscribePermissively } from '../topic-policy.js';

/**
 * What one admitted connection may do, decided once per question and cached by the authorizer, until a change to
 * anything the answers depend on replaces it (authority-table.ts). In both modes the reserved `$` topics are decided
 * first by topic-policy.ts — fleetca serves only the fleet-provisioning topics there, and only to claims of their
 * template — then, with policies, by the policies attached to the certificate (and a claim's own policy).
 */
export interface ConnectionAuthority {
  /** The policies the decisions come from (empty when permissive): a change to one of them re-decides. */
  readonly policyNames: ReadonlySet<string>;
  mayConnect(): boolean;
  mayPublish(topic: string, retain: boolean): boolean;
  maySubscribe(filter: string): boolean;
  mayReceive(topic: string): boolean;
}

/** fleetca before policies: any ACTIVE certificate may use any topic outside `$`, claims only their requests. */
export function permissiveAuthority(principal: DevicePrincipal): ConnectionAuthority {
  return {
    policyNames: new Set(),
    mayConnect: () => true,
    mayPublish: (topic) => mayPublishPermissively(principal, topic),
    maySubscribe: (filter) => maySubscribePermissively(principal, filter),
    mayReceive: () => true,
  };
}

/** AWS IoT's model: default deny, every action on its resource (reference §1.3). */
export function policyAuthority(
  principal: DevicePrincipal,
  clientId: string,
  authorizer: Authorizer,
  policyNames: ReadonlySet<string>,
): ConnectionAuthority {
  const { region, accountId } = principal.scope;
  const prefix = `arn:${partitionOf(region)}:iot:${region}:${accountId}:`;
  const allows = (action: DataAction, type: string, name: string) =>
    authorizer.allows({ action, resource: `${prefix}${type}/${name}` });
  return {
    policyNames,
    mayConnect: () => allows('iot:Connect', 'client', clientId),
    mayPublish: (topic, retain) =>
      (!topic.startsWith('$') || mayPublishPermissively(principal, topic)) &&
      allows('iot:Publish', 'topic', topic) &&
      (!retain || allows('iot:RetainPublish', 'topic', topic)),
    maySubscribe: (filter) =>
      (!filter.startsWith('$') || maySubscribePermissively(principal, filter)) &&
      allows('iot:Subscribe', 'topicfilter', filter),
    mayReceive: (topic) => allows('iot:Receive', 'topic', topic),
  };
}
