import { certificatePolicyVariables } from '../../ca/certificate-policy-variables.js';
import { fromPem } from '../../ca/pem.js';
import type { PrincipalFacts, ThingFacts } from '../../domain/policies/authorization-request.js';
import type { Scope } from '../../domain/scope.js';
import type { Registry } from '../../registry/registry.js';

/** Who asks, as the one door that evaluates policies for it knows: the certificate, and the connection's facts. */
export interface PrincipalQuestion {
  readonly scope: Scope;
  readonly certificateId: string;
  /** The MQTT client id; the thing variables resolve only when it names a thing attached to the certificate. */
  readonly clientId?: string;
  readonly sourceIp?: string;
  readonly connectAttributes?: readonly string[];
  /**
   * The registered certificate (DER) when the asker already holds it — the device door has the one the device
   * presented, whose SHA-256 is `certificateId` — so that it is not read back from the registry.
   */
  readonly certificateDer?: Buffer;
}

/**
 * Everything a policy may read about a certificate's connection (PrincipalFacts): its `iot:Certificate.*` values
 * from its PEM, `iot:ClientId`, `aws:SourceIp`, and the thing variables of the thing whose name is the client id
 * and that is attached to the certificate (reference §1.5: with non-exclusive association the client id must equal
 * the thing name; fleetca does not remember exclusive association). TestAuthorization and the device door build
 * facts here, so both evaluate the same way. A certificate not in the scope gives facts without certificate values.
 */
export async function principalFacts(registry: Registry, question: PrincipalQuestion): Promise<PrincipalFacts> {
  const { scope, certificateId, clientId } = question;
  const [certificateDer, thing] = await Promise.all([
    question.certificateDer ?? registeredDer(registry, scope, certificateId),
    clientId === undefined ? undefined : attachedThing(registry, scope, certificateId, clientId),
  ]);
  return {
    scope,
    certificateId,
    ...(clientId !== undefined && { clientId }),
    ...(question.sourceIp !== undefined && { sourceIp: question.sourceIp }),
    ...(thing !== undefined && { thing }),
    ...(certificateDer !== undefined && { certificate: certificatePolicyVariables(certificateDer) }),
    ...(question.connectAttributes !== undefined && { connectAttributes: question.connectAttributes }),
  };
}

async function registeredDer(registry: Registry, scope: Scope, certificateId: string): Promise<Buffer | undefined> {
  const record = await registry.certificates.getCertificate(scope, certificateId);
  return record && fromPem(record.certificatePem, ['CERTIFICATE']).der;
}

/** Things a certificate is attached to are read a page at a time until the client id is found (usually one). */
const THING_PAGE = 250;

async function attachedThing(
  registry: Registry,
  scope: Scope,
  certificateId: string,
  thingName: string,
): Promise<ThingFacts | undefined> {
  const thing = await registry.things.getThing(scope, thingName);
  if (!thing) return undefined;
  let after: string | undefined;
  do {
    const page = await registry.things.listPrincipalThings(scope, certificateId, { limit: THING_PAGE, after });
    if (!page) return undefined;
    if (page.keys.includes(thingName)) {
      return {
        thingName: thing.thingName,
        ...(thing.thingTypeName !== undefined && { thingTypeName: thing.thingTypeName }),
        attributes: thing.attributes,
      };
    }
    after = page.next;
  } while (after !== undefined && after < thingName);
  return undefined;
}
