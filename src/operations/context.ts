import type { CertificateAuthority } from '../ca/authority.js';
import type { KeyPairGenerator } from '../ca/key-generator.js';
import type { DeviceConnections } from '../domain/devices/device-connection.js';
import type { Scope } from '../domain/scope.js';
import type { OwnershipTokens } from '../provisioning/ownership-token.js';
import type { Registry } from '../registry/registry.js';

/** Everything an operation may touch. Each door (CLI, REST, MQTT) builds one per request. */
export interface OperationContext {
  readonly scope: Scope;
  readonly registry: Registry;
  readonly authority: CertificateAuthority;
  readonly keys: KeyPairGenerator;
  /** DER Name given to certificates that do not bring their own subject (CreateKeysAndCertificate). */
  readonly defaultSubject: Buffer;
  readonly now: () => Date;
  /** The host devices connect to when this process serves them (`fleetca serve --data-endpoint`). */
  readonly dataEndpoint?: string;
  /** Mints and opens certificateOwnershipTokens; only the device door, which serves the operations that use it, has it. */
  readonly ownershipTokens?: OwnershipTokens;
  /**
   * The live connections of the serving process's device door (ListDeviceConnections). `null`: this process serves
   * the API without a device door (`fleetca serve --no-mqtt`); absent: no server at all (the local CLI).
   */
  readonly deviceConnections?: DeviceConnections | null;
}

/** The ownership-token service of a context that must have one (the device API's operations). */
export function ownershipTokensOf(ctx: OperationContext): OwnershipTokens {
  if (!ctx.ownershipTokens) throw new Error('this context has no ownership-token service');
  return ctx.ownershipTokens;
}
