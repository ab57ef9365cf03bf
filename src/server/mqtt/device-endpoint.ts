import { createHash } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { keepsAdmission, type RefusalCode } from '../../domain/devices/admission.js';
import type { DevicePrincipal } from '../../domain/devices/device-principal.js';
import type { Scope } from '../../domain/scope.js';
import type { AutoRegistrationRegistry } from '../../provisioning/just-in-time/auto-register.js';
import type { RegistryChanges } from '../../registry/registry-changes.js';
import type { CertificateStore } from '../../registry/store.js';
import type { Logger } from '../logging/logger.js';
import type { AuthorityLoader } from './authorization/authority-loader.js';
import { AuthorityTable } from './authorization/authority-table.js';
import type { ConnectionAuthority } from './authorization/connection-authority.js';
import { connectionFacts, sourceIpOf } from './authorization/connection-facts.js';
import {
  type Admission,
  Broker,
  type BrokerConnection,
  type ConnectInfo,
  type PublishDecision,
  type PublishRequest,
} from './broker/broker.js';
import { ReasonCode } from './broker/reason-codes.js';
import { admittedConnection, ConnectionDirectory } from './connection-directory.js';
import { type DeviceEventSources, DeviceEvents } from './events/device-events.js';
import { type ClaimLookup, identifyDevice } from './identify-device.js';
import { JustInTimeDoor } from './jit/just-in-time-door.js';
import { encodeResponse } from './provisioning-payload.js';
import { answerProvisioningRequest, type ProvisioningDependencies } from './provisioning-requests.js';
import { type ProvisioningRequest, parseRequestTopic, responseTopic } from './provisioning-topics.js';
import { SessionTable } from './session-table.js';

/**
 * How a refused connection ends. `close`: the socket is closed without CONNACK, as AWS IoT does (reference
 * §4.5). `connack`: a debugging aid that answers CONNACK "not authorized" (MQTT 3 return code 5, MQTT 5 0x87).
 */
export type RefusalMode = 'close' | 'connack';

/** Why a connection was refused: the registry's verdict, or what happened around it. */
export type ConnectionRefusal =
  | RefusalCode
  | 'no_certificate'
  | 'changed_while_connecting'
  | 'registry_unavailable'
  | 'not_authorized';

/** What the device door tells metrics about its decisions; each call cheap and synchronous. */
export interface DeviceDoorMetrics {
  connectionAccepted(): void;
  connectionRefused(reason: ConnectionRefusal): void;
  /** An admitted connection was refused something (`connect`: its session ended by a re-decision). */
  authorizationDenied(action: 'connect' | 'publish' | 'retain' | 'subscribe' | 'receive'): void;
  /** `errorCode` only for a rejection. */
  provisioningAnswered(
    request: ProvisioningRequest['operation'],
    outcome: 'accepted' | 'rejected',
    errorCode?: string,
  ): void;
}

export interface DeviceEndpointOptions {
  readonly certificates: CertificateStore;
  readonly changes: RegistryChanges;
  readonly findClaim: ClaimLookup;
  readonly provisioning: ProvisioningDependencies;
  readonly refusal: RefusalMode;
  /** Builds each admitted connection's authority: from its policies, or permissive (authorization/). */
  readonly authorities: AuthorityLoader;
  readonly logger: Logger;
  /** Largest MQTT packet; a larger one ends the connection (AWS IoT's payload limit is 128 KB). */
  readonly maxPacketBytes: number;
  /** Largest fleet-provisioning request payload; larger ones are rejected with 413 (the connection stays). */
  readonly maxRequestPayloadBytes: number;
  readonly metrics?: DeviceDoorMetrics;
  /** Where the `$aws/events/` events come from and go through (events/); without it none are published. */
  readonly events?: DeviceEventSources;
  readonly now?: () => number;
  /** Where unknown certificates of registered CAs are registered just in time (jit/); none: they are only refused. */
  readonly justInTime?: AutoRegistrationRegistry;
  /** CONNECT must arrive, and admission complete, within this; default 10 s. */
  readonly connectTimeoutMs?: number;
  /** The other replicas the broker relays clients' messages to (cluster/); none on a single replica. */
  readonly cluster?: { join(broker: Broker): void };
}

/** AWS IoT keeps a persistent session for an hour after its client disconnects. */
const SESSION_EXPIRY_MAX_SECONDS = 3600;
const FAILURE = 0x80;
const NOT_AUTHORIZED = 0x87;

/**
 * The device door: fleetca's MQTT broker (3.1.1 and 5, `broker/`) with every decision taken here. Admission by
 * the presented certificate (identify-device.ts), one topic space per account and region, topic rights by
 * topic-policy.ts, fleet-provisioning requests consumed and answered to the asking connection only, and sessions
 * dropped when the registry's change feed says their certificate left ACTIVE.
 */
export class DeviceEndpoint {
  readonly #broker: Broker;
  readonly #options: DeviceEndpointOptions;
  readonly #peerCertificates = new Map<number, Buffer>();
  /** The address each connection came from, for the log lines about it. */
  readonly #remotes = new Map<number, string>();
  readonly #onAdmitted = new Map<number, () => void>();
  readonly #sessions: SessionTable<Droppable>;
  readonly #droppable = new Map<number, Droppable>();
  readonly #authorities: AuthorityTable<Droppable>;
  readonly #unsubscribe: () => void;
  readonly #now: () => number;
  readonly #justInTime: JustInTimeDoor | undefined;
  /** Presence and registry events; also for the door's other parts to publish theirs (JITR's registered event). */
  readonly events: DeviceEvents | undefined;
  /** The admitted connections, by account and region (ListDeviceConnections). */
  readonly connections = new ConnectionDirectory();

  constructor(options: DeviceEndpointOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#justInTime =
      options.justInTime &&
      new JustInTimeDoor(
        options.justInTime,
        options.logger,
        // Through the events' publisher: to the subscribers allowed to receive it, on every replica.
        (scope, topic, payload) => this.events?.publish(scope, topic, payload),
        this.#now,
      );
    this.#sessions = new SessionTable((principal) => this.#stillAdmitted(principal));
    this.#authorities = new AuthorityTable<Droppable>(
      options.authorities,
      (droppable, reason) => {
        options.metrics?.authorizationDenied('connect');
        droppable.drop(reason);
      },
      (droppable, err) => {
        options.logger.error({ clientId: droppable.connection.clientId, err }, 'device authorization not re-decided');
        droppable.drop('its authorization could not be re-decided');
      },
    );
    this.#unsubscribe = options.changes.subscribe((change) => {
      this.#sessions.onChange(change);
      this.#authorities.onChange(change);
    });
    this.#broker = new Broker(
      {
        admit: (connection, connect) => this.#admit(connection, connect),
        authorizePublish: (connection, publish) => this.#authorizePublish(connection, publish),
        authorizeSubscribe: (connection, filter, qos) => this.#authorizeSubscribe(connection, filter, qos),
        authorizeReceive: (connection, topic) => this.#authorizeReceive(connection, topic),
        closed: (connection, reason) => {
          this.#forget(connection);
          this.events?.disconnected(connection.id, reason);
        },
        malformed: (connection, reason) => this.#malformed(connection, reason),
      },
      {
        // A CONNECT must follow the handshake promptly, and its admission (a registry lookup) complete.
        connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
        maxPacketBytes: options.maxPacketBytes,
        maxInflight: 100,
        sessionExpiryMaxSeconds: SESSION_EXPIRY_MAX_SECONDS,
        retainedMax: 100_000,
      },
    );
    options.cluster?.join(this.#broker);
    const deliver = (scope: Scope, topic: string, payload: Buffer) =>
      this.#broker.publish(`${scope.accountId}/${scope.region}`, topic, payload, 0);
    const { changes, logger } = options;
    this.events = options.events && new DeviceEvents({ ...options.events, changes, logger, deliver, now: this.#now });
  }

  /** Live sessions (admitted connections). */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** PUBLISH packets received from devices and sent to them. */
  get traffic(): { readonly received: number; readonly sent: number } {
    return this.#broker.traffic;
  }

  /**
   * Serves one TLS connection whose client certificate (DER) was presented during the handshake; `admitted`
   * is called if its CONNECT is admitted (the connection guard stops treating it as pending).
   */
  handle(stream: Duplex & { remoteAddress?: string }, certificateDer: Buffer, admitted?: () => void): void {
    const connection = this.#broker.handle(stream);
    this.#peerCertificates.set(connection.id, certificateDer);
    if (stream.remoteAddress !== undefined) this.#remotes.set(connection.id, stream.remoteAddress);
    if (admitted) this.#onAdmitted.set(connection.id, admitted);
  }

  async close(): Promise<void> {
    this.#unsubscribe();
    await this.#broker.close();
    this.events?.close();
  }

  async #admit(connection: BrokerConnection, connect: ConnectInfo): Promise<Admission> {
    const der = this.#peerCertificates.get(connection.id);
    const refusal: Admission = { admitted: false, answer: this.#options.refusal };
    const metrics = this.#options.metrics;
    if (der === undefined) {
      metrics?.connectionRefused('no_certificate');
      return refusal;
    }
    const certificateId = createHash('sha256').update(der).digest('hex');
    const droppable = this.#droppableOf(connection);
    this.#sessions.beginAdmission(droppable, certificateId);
    const log = { certificateId, clientId: connect.clientId, protocolVersion: connect.protocolVersion };
    let identification: Awaited<ReturnType<typeof identifyDevice>>;
    let authority: ConnectionAuthority | undefined;
    try {
      identification = await identifyDevice(der, this.#options, this.#now());
      if (identification.admitted) {
        authority = await this.#authorities.admit(
          droppable,
          connectionFacts(identification.principal, connect, der, this.#remotes.get(connection.id)),
        );
      }
    } catch (err) {
      this.#sessions.endAdmission(droppable);
      this.#options.logger.error({ ...log, err }, 'device admission failed: the registry is unavailable');
      metrics?.connectionRefused('registry_unavailable');
      // In `connack` mode the broker answers "server unavailable"; otherwise the refusal is a bare close.
      if (this.#options.refusal === 'connack') throw err;
      return refusal;
    }
    const stillValid = this.#sessions.endAdmission(droppable);
    const admitted = identification.admitted && stillValid && authority?.mayConnect() === true;
    if (!admitted) this.#authorities.remove(droppable);
    // The connection may have ended while the registry was asked (its closed hook has run): nothing to admit.
    if (this.#droppable.get(connection.id) !== droppable) {
      this.#authorities.remove(droppable);
      return refusal;
    }
    if (!identification.admitted || !stillValid) {
      const reason = identification.admitted ? 'the certificate changed while connecting' : identification.reason;
      this.#options.logger.info({ ...log, reason }, 'device connection refused');
      // Registered (or announced again) before the refusal is answered: AWS registers, publishes, then disconnects.
      if (!identification.admitted) await this.#justInTime?.afterRefusal(der, certificateId, identification);
      metrics?.connectionRefused(identification.admitted ? 'changed_while_connecting' : identification.code);
      return refusal;
    }
    if (!admitted) {
      this.#options.logger.info(
        { ...log, reason: 'its policies do not allow iot:Connect' },
        'device connection refused',
      );
      metrics?.connectionRefused('not_authorized');
      return refusal;
    }
    const { principal } = identification;
    const now = this.#now();
    this.#sessions.add(droppable, principal, now);
    const remote = this.#remotes.get(connection.id);
    this.connections.add(connection.id, principal.scope, admittedConnection(connect, certificateId, remote, now));
    this.#onAdmitted.get(connection.id)?.();
    this.#onAdmitted.delete(connection.id);
    metrics?.connectionAccepted();
    this.#options.logger.info(log, 'device connected');
    const ipAddress = sourceIpOf(remote);
    const presence = { scope: principal.scope, certificateId, clientId: connect.clientId, ipAddress };
    this.events?.connected(connection.id, presence);
    return {
      admitted: true,
      // One broker per account and region, as on AWS IoT: devices of different accounts never hear each other.
      namespace: `${principal.scope.accountId}/${principal.scope.region}`,
      // A persistent session (and what is queued in it, provisioning answers included) goes back to this certificate only.
      owner: principal.certificateId,
    };
  }

  #authorizePublish(connection: BrokerConnection, publish: PublishRequest): PublishDecision {
    const principal = this.#principalOf(connection);
    const authority = this.#authorityOf(connection);
    if (!principal || !authority?.mayPublish(publish.topic, false)) {
      this.#refused(connection, 'publish', { topic: publish.topic });
      return 'deny';
    }
    if (publish.retain && !authority.mayPublish(publish.topic, true)) {
      this.#refused(connection, 'retain', { topic: publish.topic });
      return 'deny';
    }
    const request = parseRequestTopic(publish.topic);
    if (!request) return 'route';
    // A will on a request topic (published as the connection ends) has no one to answer: never run it.
    if (connection.isOpen) this.#answer(connection, principal, publish.topic, request, publish.payload);
    return 'consume';
  }

  #authorizeSubscribe(connection: BrokerConnection, filter: string, requestedQos: number): number {
    const authority = this.#authorityOf(connection);
    if (!authority) return FAILURE;
    if (authority.maySubscribe(filter)) return Math.min(requestedQos, 1);
    this.#refused(connection, 'subscribe', { filter });
    return NOT_AUTHORIZED;
  }

  #authorizeReceive(connection: BrokerConnection, topic: string): boolean {
    if (this.#authorityOf(connection)?.mayReceive(topic)) return true;
    // Not logged: a subscription to a busy filter would write a line per message withheld.
    this.#options.metrics?.authorizationDenied('receive');
    return false;
  }

  #refused(connection: BrokerConnection, action: 'publish' | 'retain' | 'subscribe', what: object): void {
    this.#options.metrics?.authorizationDenied(action);
    this.#options.logger.info({ clientId: connection.clientId, ...what }, `${action} refused`);
  }

  #answer(
    connection: BrokerConnection,
    principal: DevicePrincipal,
    topic: string,
    request: ProvisioningRequest,
    payload: Buffer,
  ): void {
    const limit = this.#options.maxRequestPayloadBytes;
    const answer = answerProvisioningRequest(this.#options.provisioning, principal, request, payload, limit);
    void answer.then((result) => {
      const errorCode = result.outcome === 'rejected' ? result.body.errorCode : undefined;
      this.#options.metrics?.provisioningAnswered(request.operation, result.outcome, errorCode);
      // As on AWS, an answer goes only to the asking connection, and only if it subscribed to it (reference §4.1).
      connection.deliver(responseTopic(topic, result.outcome), encodeResponse(request.format, result.body), 1);
    });
  }

  /** After a `resync`: whether the registry still grants what the session was admitted with. */
  async #stillAdmitted(principal: DevicePrincipal): Promise<boolean> {
    const { certificateId } = principal;
    const now = this.#now();
    const registrations = await this.#options.certificates.findRegistrations(certificateId);
    const claim = await this.#options.findClaim(certificateId, now);
    return keepsAdmission(principal, { certificateId, registrations, claim, now });
  }

  #authorityOf(connection: BrokerConnection): ConnectionAuthority | undefined {
    const droppable = this.#droppable.get(connection.id);
    return droppable ? this.#authorities.authorityOf(droppable) : undefined;
  }

  #principalOf(connection: BrokerConnection): DevicePrincipal | undefined {
    const droppable = this.#droppable.get(connection.id);
    return droppable ? this.#sessions.principalOf(droppable) : undefined;
  }

  #droppableOf(connection: BrokerConnection): Droppable {
    let droppable = this.#droppable.get(connection.id);
    if (!droppable) {
      droppable = new Droppable(connection, this.#options.logger);
      this.#droppable.set(connection.id, droppable);
    }
    return droppable;
  }

  /** A device that breaks the protocol is closed by the broker; said here without anything it sent but its client id. */
  #malformed(connection: BrokerConnection, reason: string): void {
    const der = this.#peerCertificates.get(connection.id);
    this.#options.logger.warn(
      {
        clientId: connection.clientId || undefined,
        remote: this.#remotes.get(connection.id),
        certificateId: der ? createHash('sha256').update(der).digest('hex') : undefined,
        reason,
      },
      'device connection closed: malformed packet',
    );
  }

  #forget(connection: BrokerConnection): void {
    this.#peerCertificates.delete(connection.id);
    this.#remotes.delete(connection.id);
    this.#onAdmitted.delete(connection.id);
    this.connections.remove(connection.id);
    const droppable = this.#droppable.get(connection.id);
    this.#droppable.delete(connection.id);
    if (droppable) {
      this.#sessions.remove(droppable);
      this.#authorities.remove(droppable);
    }
  }
}

/** A broker connection as the session table ends it: MQTT 5 clients are told why (0x87 not authorized). */
class Droppable {
  constructor(
    readonly connection: BrokerConnection,
    private readonly logger: Logger,
  ) {}

  drop(reason: string): void {
    this.logger.info({ clientId: this.connection.clientId, reason }, 'device session dropped');
    this.connection.drop(ReasonCode.NotAuthorized);
  }
}
