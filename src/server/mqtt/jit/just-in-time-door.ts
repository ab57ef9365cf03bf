import type { Refusal } from '../../../domain/devices/admission.js';
import { awaitsActivation } from '../../../domain/devices/auto-registration.js';
import type { Scope } from '../../../domain/scope.js';
import { type AutoRegistrationRegistry, autoRegister } from '../../../provisioning/just-in-time/auto-register.js';
import type { Logger } from '../../logging/logger.js';
import { registeredEventPayload, registeredEventTopic } from './registered-event.js';

/** Publishes a service event to the subscribers of one account and region (their policies permitting). */
export type EventPublisher = (scope: Scope, topic: string, payload: Record<string, unknown>) => void;

/**
 * What the device door does with a connection it refused, for just-in-time registration (reference §2.2, §2.3):
 * an unknown certificate is handed to auto-registration (provisioning/just-in-time/), and an auto-registered one
 * still PENDING_ACTIVATION has its registered event published again, as AWS does. The connection is refused either
 * way — AWS registers, publishes and disconnects (its JITR blog post and IoT Device Management workshop); for JITP
 * AWS's guide is silent and devices report the first connection dropped (reference §6.8), so fleetca drops it too
 * and the device's next connection is admitted. Every outcome is one log line: AWS reports JITR/JITP failures only
 * in CloudWatch, fleetca in its log.
 */
export class JustInTimeDoor {
  constructor(
    private readonly registry: AutoRegistrationRegistry,
    private readonly logger: Logger,
    private readonly publish: EventPublisher,
    private readonly now: () => number,
  ) {}

  /** Never throws: a registry failure is logged, and the connection stays refused. */
  async afterRefusal(der: Buffer, certificateId: string, refusal: Refusal): Promise<void> {
    try {
      if (refusal.code === 'unknown_certificate') await this.#register(der, certificateId);
      if (refusal.code === 'not_active') await this.#announceAgain(certificateId);
    } catch (err) {
      this.logger.error({ certificateId, err }, 'just-in-time registration failed: the registry is unavailable');
    }
  }

  async #register(der: Buffer, certificateId: string): Promise<void> {
    const now = this.now();
    const outcome = await autoRegister(der, this.registry, now);
    switch (outcome.kind) {
      case 'refused':
        this.logger.info(
          { certificateId, caCertificateId: outcome.caCertificateId, code: outcome.code, reason: outcome.reason },
          'just-in-time registration refused',
        );
        return;
      case 'already-registered':
        this.logger.info({ certificateId }, 'just-in-time registration: already registered by another connection');
        return;
      case 'provisioning-failed':
        this.logger.warn(
          { certificateId, caCertificateId: outcome.caCertificateId, ...outcome.scope, reason: outcome.reason },
          'just-in-time provisioning failed: nothing was registered',
        );
        return;
      case 'registered': {
        const { scope, caCertificateId, status, thingName, flow } = outcome;
        this.logger.info(
          { certificateId, caCertificateId, ...scope, status, thingName, flow },
          flow === 'jitr' ? 'certificate registered just in time' : 'certificate provisioned just in time',
        );
        if (status === 'PENDING_ACTIVATION')
          this.#announce(scope, certificateId, caCertificateId, outcome.registeredAt);
      }
    }
  }

  async #announceAgain(certificateId: string): Promise<void> {
    for (const registration of await this.registry.certificates.findRegistrations(certificateId)) {
      if (registration.status !== 'PENDING_ACTIVATION') continue;
      const record = await this.registry.certificates.getCertificate(registration, certificateId);
      if (record === undefined || !awaitsActivation(record) || record.caCertificateId === undefined) continue;
      this.#announce(record, certificateId, record.caCertificateId, record.creationDate);
    }
  }

  #announce(scope: Scope, certificateId: string, caCertificateId: string, registeredAt: number): void {
    const payload = registeredEventPayload({ scope, certificateId, caCertificateId, registeredAt, now: this.now() });
    this.publish({ accountId: scope.accountId, region: scope.region }, registeredEventTopic(caCertificateId), payload);
  }
}
