import { X509Certificate } from 'node:crypto';
import { type ChainLink, certificatesOfBundle, chainProblems, isSelfIssued, viewOf } from '../../ca/chain-check.js';
import {
  type CertificateChainRole,
  CHAIN_ROLE_NAMES,
  chainStatusProblems,
} from '../../domain/certificates/certificate-chain.js';
import type { CertificateRecord } from '../../domain/certificates/certificate-record.js';
import { serviceErrors } from '../../errors.js';
import { DescribeCertificateChain } from '../../model/fleet-devices.js';
import { EXAMPLE_CERTIFICATE_ID } from '../cli-example-values.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';

export interface DescribeCertificateChainInput {
  readonly certificateId: string;
}

export const describeCertificateChain = defineOperation({
  model: DescribeCertificateChain,
  run,
  cli: {
    examples: [
      {
        title: 'To check that a certificate can be used',
        description: 'Prints whether its chain verifies now and, if not, why.',
        command: `fleetca fleet describe-certificate-chain --certificate-id ${EXAMPLE_CERTIFICATE_ID} --query verification`,
        output: '{\n    "valid": true,\n    "problems": []\n}',
      },
      {
        title: 'To save the chain of a certificate',
        description: 'Writes the certificate and its CAs, leaf first, as one PEM bundle.',
        command: `fleetca fleet describe-certificate-chain --certificate-id ${EXAMPLE_CERTIFICATE_ID} --query 'chain[].certificatePem' --output text > chain.pem`,
      },
    ],
  },
});

interface RoledLink extends ChainLink {
  readonly role: CertificateChainRole;
  readonly pem: string;
}

/** The CAs above a certificate, and what the registry says against it (statuses, an unknown issuer). */
interface Issuers {
  readonly links: readonly RoledLink[];
  readonly problems: readonly string[];
}

async function run(input: DescribeCertificateChainInput, ctx: OperationContext) {
  const record = await ctx.registry.certificates.getCertificate(ctx.scope, input.certificateId);
  if (!record) throw serviceErrors.notFound();
  const leaf = roled('certificate', new X509Certificate(record.certificatePem), record.certificatePem);
  const issuers = await issuersOf(record, leaf.certificate, ctx);
  const links = [leaf, ...issuers.links];
  const problems = [...chainProblems(links, ctx.now()), ...issuers.problems];
  return {
    chain: links.map((link) => ({ ...viewOf(link.certificate, link.pem), role: link.role })),
    verification: { valid: problems.length === 0, problems },
  };
}

/**
 * Registered with a CA certificate: that CA, as the registry has it. Otherwise fleetca's issuing and root CA when
 * fleetca issued it (recorded, or its issuer names fleetca's issuing CA); a self-signed certificate is a chain of
 * its own; any other was registered without its CA, which fleetca cannot check it against.
 */
async function issuersOf(record: CertificateRecord, leaf: X509Certificate, ctx: OperationContext): Promise<Issuers> {
  const { caCertificateId } = record;
  if (caCertificateId !== undefined) {
    const ca = await ctx.registry.caCertificates.getCaCertificate(ctx.scope, caCertificateId);
    const registeredCa = { certificateId: caCertificateId, status: ca?.status ?? ('DELETED' as const) };
    const problems = chainStatusProblems(record.status, registeredCa);
    if (!ca) return { links: [], problems };
    return { links: [roled('registered-ca', new X509Certificate(ca.certificatePem), ca.certificatePem)], problems };
  }
  const problems = chainStatusProblems(record.status);
  const [issuing, root] = certificatesOfBundle(ctx.authority.chainPem());
  if (issuing && root && (record.issuedBy !== undefined || leaf.checkIssued(issuing))) {
    return { links: [roled('issuing-ca', issuing), roled('root-ca', root)], problems };
  }
  if (isSelfIssued(leaf)) return { links: [], problems };
  const unknown = `The certificate was registered without a CA certificate: fleetca does not know its issuer, so the chain cannot be verified.`;
  return { links: [], problems: [...problems, unknown] };
}

function roled(role: CertificateChainRole, certificate: X509Certificate, pem = certificate.toString()): RoledLink {
  return { role, certificate, pem, name: CHAIN_ROLE_NAMES[role] };
}
