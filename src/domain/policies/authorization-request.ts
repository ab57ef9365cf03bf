import type { Scope } from '../scope.js';

/** The MQTT data-plane actions a device connection is authorized for (reference §1.3). */
export type DataAction = 'iot:Connect' | 'iot:Publish' | 'iot:RetainPublish' | 'iot:Subscribe' | 'iot:Receive';

/** The thing a connection is evaluated for: attached to its certificate, and named as its client id. */
export interface ThingFacts {
  readonly thingName: string;
  readonly thingTypeName?: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * Everything a policy variable or condition key may read about the asking principal and its connection. Built by
 * the door that asks (the device door from the connection and registry, TestAuthorization from its input), never by
 * the evaluator.
 */
export interface PrincipalFacts {
  readonly scope: Scope;
  readonly certificateId?: string;
  /** The MQTT client id (`iot:ClientId`); absent when unknown (TestAuthorization without clientId). */
  readonly clientId?: string;
  /** `aws:SourceIp`. */
  readonly sourceIp?: string;
  /** The thing whose thing variables resolve; absent when the client id names no thing attached to the certificate. */
  readonly thing?: ThingFacts;
  /**
   * `iot:Certificate.*` values without the prefix, each attribute's values in certificate order: `Subject.CommonName`
   * → ['dev-1'], `Subject.AlternativeName.DNSName` → ['a', 'b'], `SerialNumber` → ['0a1b...'].
   */
  readonly certificate?: ReadonlyMap<string, readonly string[]>;
  /** `iot:ConnectAttributes` of a CONNECT: `PersistentConnect`, `LastWill`. */
  readonly connectAttributes?: readonly string[];
}

/** One question: may this principal do `action` on `resource` (a full ARN: `arn:aws:iot:REGION:ACCOUNT:topic/a/b`). */
export interface AuthorizationRequest {
  readonly action: DataAction;
  readonly resource: string;
}
