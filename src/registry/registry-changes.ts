import type { CertificateStatus } from '../domain/certificates/certificate-status.js';

/**
 * What one replica tells the others after a commit, so that what they cache or enforce follows
 * (the authenticator's access keys now; live device sessions next). PostgreSQL carries changes with
 * NOTIFY, which is delivered only when the transaction that sent it commits; SQLite writes them to its
 * registry_changes table in the same transaction, where watching processes poll for them.
 */
export type RegistryChange =
  | {
      readonly kind: 'certificate';
      readonly accountId: string;
      readonly region: string;
      readonly certificateId: string;
      /** The new status (a new certificate's first), or DELETED. */
      readonly status: CertificateStatus | 'DELETED';
    }
  | { readonly kind: 'access-key-deleted'; readonly accessKeyId: string }
  /** Provisioning claims for a template were withdrawn: one certificate's grant, or all (template deleted). */
  | {
      readonly kind: 'claims-withdrawn';
      readonly accountId: string;
      readonly region: string;
      readonly templateName: string;
      readonly certificateId?: string;
    }
  /** A policy was created or deleted, or its default version changed: sessions it applies to are re-decided. */
  | { readonly kind: 'policy'; readonly accountId: string; readonly region: string; readonly policyName: string }
  /** A policy was attached to or detached from a certificate (AttachPolicy, DetachPolicy, RegisterThing, deletion). */
  | {
      readonly kind: 'policy-attachment';
      readonly accountId: string;
      readonly region: string;
      readonly policyName: string;
      readonly certificateId: string;
    }
  /**
   * A thing was created or deleted, or its attributes or type changed (policy variables read them). `event` says
   * what happened, for the registry events every replica derives from it (its attributes are read from the registry,
   * except for a deleted thing's, carried when they fit a NOTIFY).
   */
  | {
      readonly kind: 'thing';
      readonly accountId: string;
      readonly region: string;
      readonly thingName: string;
      readonly event?: ThingChangeEvent;
    }
  /** A certificate was attached to or detached from a thing. */
  | {
      readonly kind: 'thing-principal';
      readonly accountId: string;
      readonly region: string;
      readonly thingName: string;
      readonly certificateId: string;
    }
  /** UpdateEventConfigurations changed which events an account and region publishes. */
  | { readonly kind: 'event-configurations'; readonly accountId: string; readonly region: string }
  | DeviceEventChange
  /** The feed may have missed changes (its connection was lost): drop everything cached. */
  | { readonly kind: 'resync' };

/** An MQTT event (presence, registry) one replica publishes to the brokers of all: topic and JSON payload. */
export interface DeviceEventChange {
  readonly kind: 'device-event';
  readonly accountId: string;
  readonly region: string;
  readonly topic: string;
  readonly payload: string;
}

/** What a thing change was, as AWS's registry events name it. */
export interface ThingChangeEvent {
  readonly operation: 'CREATED' | 'UPDATED' | 'DELETED';
  readonly thingId: string;
  readonly versionNumber: number;
  readonly thingTypeName?: string;
  /** A deleted thing's attributes, when they fit (a NOTIFY payload is at most 8000 bytes). */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** Attributes larger than this (as JSON) stay out of a thing change, which must fit a NOTIFY with room to spare. */
const CARRIED_ATTRIBUTES_MAX = 4000;

/** The event of a thing change, with the attributes when they are small enough to travel with it. */
export function thingChangeEvent(
  operation: ThingChangeEvent['operation'],
  thing: {
    readonly thingId: string;
    readonly version: number;
    readonly thingTypeName?: string;
    readonly attributes: Readonly<Record<string, string>>;
  },
): ThingChangeEvent {
  const fits = JSON.stringify(thing.attributes).length <= CARRIED_ATTRIBUTES_MAX;
  return {
    operation,
    thingId: thing.thingId,
    versionNumber: thing.version,
    ...(thing.thingTypeName !== undefined && { thingTypeName: thing.thingTypeName }),
    ...(fits && { attributes: thing.attributes }),
  };
}

export type ChangeListener = (change: RegistryChange) => void;

export interface RegistryChanges {
  /**
   * Whose changes are heard: every process on the database (a registry opened with its change feed), or
   * this process only (without). Only a `database` feed makes caching registry rows safe.
   */
  readonly reach: 'database' | 'process';
  /** Calls `listener` for every change committed from now on; returns the unsubscribe function. */
  subscribe(listener: ChangeListener): () => void;
}

export function encodeChange(change: RegistryChange): string {
  return JSON.stringify(change);
}

/** Parses a NOTIFY payload or change-log row; undefined for anything that is not a change this version knows. */
export function decodeChange(payload: string): RegistryChange | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const isText = (key: string) => typeof v[key] === 'string' && v[key] !== '';
  if (v.kind === 'certificate' && ['accountId', 'region', 'certificateId', 'status'].every(isText)) {
    return {
      kind: 'certificate',
      accountId: v.accountId as string,
      region: v.region as string,
      certificateId: v.certificateId as string,
      status: v.status as CertificateStatus | 'DELETED',
    };
  }
  if (v.kind === 'access-key-deleted' && isText('accessKeyId')) {
    return { kind: 'access-key-deleted', accessKeyId: v.accessKeyId as string };
  }
  if (v.kind === 'claims-withdrawn' && ['accountId', 'region', 'templateName'].every(isText)) {
    const certificateId = isText('certificateId') ? (v.certificateId as string) : undefined;
    return {
      kind: 'claims-withdrawn',
      accountId: v.accountId as string,
      region: v.region as string,
      templateName: v.templateName as string,
      ...(certificateId === undefined ? {} : { certificateId }),
    };
  }
  const scoped = (...keys: string[]) => ['accountId', 'region', ...keys].every(isText);
  const scope = () => ({ accountId: v.accountId as string, region: v.region as string });
  if (v.kind === 'policy' && scoped('policyName')) {
    return { kind: 'policy', ...scope(), policyName: v.policyName as string };
  }
  if (v.kind === 'policy-attachment' && scoped('policyName', 'certificateId')) {
    return {
      kind: 'policy-attachment',
      ...scope(),
      policyName: v.policyName as string,
      certificateId: v.certificateId as string,
    };
  }
  if (v.kind === 'thing' && scoped('thingName')) {
    const event = decodeThingEvent(v.event);
    return { kind: 'thing', ...scope(), thingName: v.thingName as string, ...(event && { event }) };
  }
  if (v.kind === 'event-configurations' && scoped()) return { kind: 'event-configurations', ...scope() };
  if (v.kind === 'device-event' && scoped('topic', 'payload')) {
    return { kind: 'device-event', ...scope(), topic: v.topic as string, payload: v.payload as string };
  }
  if (v.kind === 'thing-principal' && scoped('thingName', 'certificateId')) {
    return {
      kind: 'thing-principal',
      ...scope(),
      thingName: v.thingName as string,
      certificateId: v.certificateId as string,
    };
  }
  if (v.kind === 'resync') return { kind: 'resync' };
  return undefined;
}

function decodeThingEvent(value: unknown): ThingChangeEvent | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const e = value as Record<string, unknown>;
  if (e.operation !== 'CREATED' && e.operation !== 'UPDATED' && e.operation !== 'DELETED') return undefined;
  if (typeof e.thingId !== 'string' || typeof e.versionNumber !== 'number') return undefined;
  const attributes = isStringRecord(e.attributes) ? e.attributes : undefined;
  return {
    operation: e.operation,
    thingId: e.thingId,
    versionNumber: e.versionNumber,
    ...(typeof e.thingTypeName === 'string' && { thingTypeName: e.thingTypeName }),
    ...(attributes && { attributes }),
  };
}

function isStringRecord(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((item) => typeof item === 'string');
}

/** Fans changes out to subscribers; a throwing listener does not keep the others from hearing. */
export class ChangeHub implements RegistryChanges {
  readonly #listeners = new Set<ChangeListener>();

  constructor(readonly reach: 'database' | 'process') {}

  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(change: RegistryChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch {
        // A listener's failure is its own; the change still reaches the rest.
      }
    }
  }
}
