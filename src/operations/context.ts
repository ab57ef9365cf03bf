import type { CertificateAuthority } from '../ca/authority.js';
import type { KeyPairGenerator } from '../ca/key-generator.js';
import type { Scope } from '../registry/certificate-record.js';
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
}
