import { createHash } from 'node:crypto';
import { Aedes, type AuthenticateError, type Client, type PublishPacket, type Subscription } from 'aedes';
import type { RegistryChanges } from '../../registry/registry-changes.js';
import type { CertificateStore } from '../../registry/store.js';
import type { Logger } from '../http/logger.js';
import type { DevicePrincipal } from './device-principal.js';
import { type ClaimLookup, identifyDevice } from './identify-device.js';
import type { GuardedConnection } from './packet-size-guard.js';
import { encodeResponse } from './provisioning-payload.js';
import { answerProvisioningRequest, type ProvisioningDependencies } from './provisioning-requests.js';
import { parseRequestTopic, responseTopic } from './provisioning-topics.js';
import { SessionTable } from './session-table.js';
import { filterMatches } from './topic-filter.js';
import { mayPublish, maySubscribe } from './topic-policy.js';

/**
 * How a refused connection ends. `close`: the socket is closed without CONNACK, as AWS IoT does (reference
 * §4.5). `connack`: a debugging aid that answers CONNACK "not authorized" (5) so clients can say why.
 */
export type RefusalMode = 'close' | 'connack';

export interface DeviceEndpointOptions {
  readonly certificates: CertificateStore;
  readonly changes: RegistryChanges;
  readonly findClaim: ClaimLookup;
  readonly provisioning: ProvisioningDependencies;
  readonly refusal: RefusalMode;
  readonly logger: Logger;
  /** Largest fleet-provisioning request payload; larger ones are rejected with 413 (the connection stays). */
  readonly maxRequestPayloadBytes: number;
  readonly now?: () => number;
}

const AUTH_NOT_AUTHORIZED = 5;
const AUTH_SERVER_UNAVAILABLE = 3;
/** AWS IoT supports QoS 0 and 1 only. */
const MAX_QOS = 1;

/**
 * The device door: an MQTT broker (aedes) whose every decision is fleetca's. Admission by the presented
 * certificate (identify-device.ts), topic rights by topic-policy.ts, fleet-provisioning requests answered to
 * the asking connection only, and sessions dropped when the registry's change feed says their certificate
 * left ACTIVE.
 */
export class DeviceEndpoint {
  #broker: Aedes | undefined;
  readonly #options: DeviceEndpointOptions;
  readonly #peerCertificates = new WeakMap<object, Buffer>();
  readonly #refusals = new WeakMap<Client, number>();
  readonly #sessions: SessionTable<DroppableClient>;
  readonly #droppable = new WeakMap<Client, DroppableClient>();
  readonly #unsubscribe: () => void;
  readonly #now: () => number;

  private constructor(options: DeviceEndpointOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#sessions = new SessionTable((principal) => this.#stillAdmitted(principal));
    this.#unsubscribe = options.changes.subscribe((change) => this.#sessions.onChange(change));
  }

  static async start(options: DeviceEndpointOptions): Promise<DeviceEndpoint> {
    const endpoint = new DeviceEndpoint(options);
    const broker = await Aedes.createBroker({
      // A CONNECT must follow the handshake promptly; a stalled reader must not hold deliveries forever.
      connectTimeout: 10_000,
      drainTimeout: 10_000,
      preConnect: (client, _packet, done) => endpoint.#admit(client, done),
      authenticate: (client, _username, _password, done) => endpoint.#authenticate(client, done),
      authorizePublish: (client, packet, done) => endpoint.#authorizePublish(client, packet, done),
      authorizeSubscribe: (client, subscription, done) => endpoint.#authorizeSubscribe(client, subscription, done),
      // Broker-routed packets on `$aws/...` are requests, meant for fleetca alone: never forwarded to subscribers.
      // Answers reach the asker by client.publish, which passes here too, and are let through.
      authorizeForward: (_client, packet) =>
        packet.topic.startsWith('$aws/') && !/\/(accepted|rejected)$/.test(packet.topic) ? null : packet,
    });
    broker.on('clientDisconnect', (client) => endpoint.#forget(client));
    broker.on('clientError', (client) => endpoint.#forget(client));
    broker.on('connectionError', (client) => endpoint.#forget(client));
    endpoint.#broker = broker;
    return endpoint;
  }

  /** Live sessions (admitted connections). */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Serves one TLS connection whose client certificate (DER) was presented during the handshake. */
  handle(connection: GuardedConnection, certificateDer: Buffer): void {
    this.#peerCertificates.set(connection, certificateDer);
    this.#broker?.handle(connection);
  }

  async close(): Promise<void> {
    this.#unsubscribe();
    this.#sessions.dropAll('the server is shutting down');
    const broker = this.#broker;
    if (broker) await new Promise<void>((resolve) => broker.close(() => resolve()));
  }

  #admit(client: Client, done: (error: Error | null, success: boolean) => void): void {
    const der = this.#peerCertificates.get(client.conn);
    if (der === undefined) {
      done(new Error('no client certificate'), false);
      return;
    }
    const certificateId = createHash('sha256').update(der).digest('hex');
    const droppable = this.#droppableOf(client);
    this.#sessions.beginAdmission(droppable, certificateId);
    const refuse = (reason: string, code: number) => {
      this.#sessions.endAdmission(droppable);
      this.#options.logger.info({ certificateId, clientId: client.id, reason }, 'device connection refused');
      if (this.#options.refusal === 'connack') {
        this.#refusals.set(client, code);
        return done(null, true);
      }
      client.conn.destroy();
      done(new Error(reason), false);
    };
    identifyDevice(der, this.#options, this.#now()).then(
      (identification) => {
        if (!identification.admitted) return refuse(identification.reason, AUTH_NOT_AUTHORIZED);
        if (!this.#sessions.endAdmission(droppable))
          return refuse('the certificate changed while connecting', AUTH_NOT_AUTHORIZED);
        this.#sessions.add(droppable, identification.principal, this.#now());
        this.#options.logger.info({ certificateId, clientId: client.id }, 'device connected');
        done(null, true);
      },
      (err: unknown) => {
        this.#options.logger.error({ err, certificateId }, 'device admission failed');
        refuse('the registry is unavailable', AUTH_SERVER_UNAVAILABLE);
      },
    );
  }

  /** After a `resync`: whether the registry still grants what the session was admitted with. */
  async #stillAdmitted(principal: DevicePrincipal): Promise<boolean> {
    const { certificateId, scope } = principal;
    if (principal.device) {
      const registrations = await this.#options.certificates.findRegistrations(certificateId);
      const active = registrations.some(
        (r) => r.status === 'ACTIVE' && r.accountId === scope.accountId && r.region === scope.region,
      );
      if (!active) return false;
    }
    if (principal.provisioningTemplates.size === 0) return true;
    const claim = await this.#options.findClaim(certificateId, this.#now());
    const granted = new Set(claim?.templateNames ?? []);
    return [...principal.provisioningTemplates].every((name) => granted.has(name));
  }

  #authenticate(client: Client, done: (error: AuthenticateError | null, success: boolean | null) => void): void {
    const code = this.#refusals.get(client);
    if (code === undefined) {
      done(null, true);
      return;
    }
    const error = new Error('not authorized') as AuthenticateError;
    error.returnCode = code;
    done(error, false);
  }

  #authorizePublish(client: Client | null, packet: PublishPacket, done: (error?: Error | null) => void): void {
    const principal = client ? this.#principalOf(client) : undefined;
    if (!client || !principal) {
      done(new Error('not admitted'));
      return;
    }
    // QoS 2 is not supported (as on AWS IoT); like an unauthorized publish, MQTT 3.1.1 can only disconnect.
    if (packet.qos > MAX_QOS || !mayPublish(principal, packet.topic)) {
      this.#options.logger.info({ clientId: client.id, topic: packet.topic, qos: packet.qos }, 'publish refused');
      done(new Error('publish not authorized'));
      return;
    }
    const request = parseRequestTopic(packet.topic);
    if (request) {
      packet.retain = false;
      this.#answer(client, principal, packet.topic, request, packet.payload as Buffer);
    }
    done(null);
  }

  #authorizeSubscribe(
    client: Client,
    subscription: Subscription,
    done: (error: Error | null, subscription?: Subscription | null) => void,
  ): void {
    const principal = this.#principalOf(client);
    if (!principal || !maySubscribe(principal, subscription.topic)) {
      done(null, null);
      return;
    }
    done(null, { ...subscription, qos: Math.min(subscription.qos, MAX_QOS) as Subscription['qos'] });
  }

  #answer(
    client: Client,
    principal: DevicePrincipal,
    topic: string,
    request: NonNullable<ReturnType<typeof parseRequestTopic>>,
    payload: Buffer,
  ): void {
    const tooLarge = payload.length > this.#options.maxRequestPayloadBytes;
    const answer = tooLarge
      ? Promise.resolve({
          outcome: 'rejected' as const,
          body: {
            statusCode: 413,
            errorCode: 'PayloadTooLarge',
            errorMessage: `The request payload is larger than ${this.#options.maxRequestPayloadBytes} bytes.`,
          },
        })
      : answerProvisioningRequest(this.#options.provisioning, principal, request, payload);
    void answer.then((result) => {
      const to = responseTopic(topic, result.outcome);
      const subscribed = Object.entries(subscriptionsOf(client)).find(([filter]) => filterMatches(filter, to));
      // As on AWS, an answer goes only to a connection that subscribed to it before asking (reference §4.1).
      if (!subscribed || client.closed) return;
      client.publish(
        {
          cmd: 'publish',
          topic: to,
          payload: encodeResponse(request.format, result.body),
          qos: Math.min(subscribed[1].qos ?? 0, MAX_QOS) as 0 | 1,
          retain: false,
          dup: false,
        },
        // aedes 1.2 calls the callback unconditionally (its types say optional): without one, the process dies.
        () => {},
      );
    });
  }

  #principalOf(client: Client): DevicePrincipal | undefined {
    const droppable = this.#droppable.get(client);
    return droppable ? this.#sessions.principalOf(droppable) : undefined;
  }

  #droppableOf(client: Client): DroppableClient {
    let droppable = this.#droppable.get(client);
    if (!droppable) {
      droppable = new DroppableClient(client, this.#options.logger);
      this.#droppable.set(client, droppable);
    }
    return droppable;
  }

  #forget(client: Client): void {
    const droppable = this.#droppable.get(client);
    if (droppable) this.#sessions.remove(droppable);
  }
}

/** A broker client as the session table ends it. */
class DroppableClient {
  constructor(
    readonly client: Client,
    private readonly logger: Logger,
  ) {}

  drop(reason: string): void {
    this.logger.info({ clientId: this.client.id, reason }, 'device session dropped');
    this.client.close();
  }
}

/** The filters a client subscribed to, with their granted QoS (aedes keeps them on the client, untyped). */
function subscriptionsOf(client: Client): Record<string, { qos?: number }> {
  return (client as Client & { subscriptions?: Record<string, { qos?: number }> }).subscriptions ?? {};
}
