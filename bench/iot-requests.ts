/** The requests the benchmark sends, each paired with the check its response must pass. */

import type { PreparedCsr } from './csr.js';
import type { Reply, SignedRequest } from './sigv4-client.js';
import {
  checkCertificateFromCsr,
  checkDescription,
  checkHealth,
  checkKeysAndCertificate,
  type ServerRules,
} from './validate.js';

/** One request to send and how to judge what comes back. */
export interface Call {
  readonly request: SignedRequest;
  readonly check: (reply: Reply) => string | undefined;
}

/** A source of calls: the load asks it for the next one each time it sends. */
export type CallSource = () => Call;

export const HEALTH_PATH = '/_fleetca/health';
export const METRICS_PATH = '/_fleetca/metrics';

/** CreateKeysAndCertificate with setAsActive. */
export function keysAndCertificateCalls(rules: ServerRules): CallSource {
  const call = keysAndCertificateCall(rules);
  return () => call;
}

function keysAndCertificateCall(rules: ServerRules): Call {
  return {
    request: { method: 'POST', path: '/keys-and-certificate', query: { setAsActive: 'true' } },
    check: (reply) => checkKeysAndCertificate(reply, rules),
  };
}

function certificateFromCsrCall(csr: PreparedCsr, rules: ServerRules): Call {
  return {
    request: {
      method: 'POST',
      path: '/certificates',
      query: { setAsActive: 'true' },
      body: JSON.stringify({ certificateSigningRequest: csr.pem }),
    },
    check: (reply) => checkCertificateFromCsr(reply, csr, rules),
  };
}

/** CreateCertificateFromCsr with setAsActive, cycling through the prepared CSRs. */
export function certificateFromCsrCalls(rules: ServerRules, csrs: readonly PreparedCsr[]): CallSource {
  if (csrs.length === 0) throw new Error('no CSRs prepared');
  const calls = csrs.map((csr) => certificateFromCsrCall(csr, rules));
  let next = 0;
  return () => calls[next++ % calls.length] as Call;
}

/**
 * The i-th call of a client that alternates CreateCertificateFromCsr (even i, cycling through `csrs`) and
 * CreateKeysAndCertificate (odd i), both with setAsActive: the reliability parts' issuance load.
 */
export function alternatingIssuance(i: number, csrs: readonly PreparedCsr[], rules: ServerRules): Call {
  return i % 2 === 1
    ? keysAndCertificateCall(rules)
    : certificateFromCsrCall(csrs[i % csrs.length] as PreparedCsr, rules);
}

/** DescribeCertificate of one known certificate. */
export function describeCall(certificateId: string): Call {
  return {
    request: { method: 'GET', path: `/certificates/${encodeURIComponent(certificateId)}` },
    check: (reply) => checkDescription(reply, certificateId),
  };
}

/** fleetca's health endpoint (unauthenticated). */
export const HEALTH_CALL: Call = {
  request: { method: 'GET', path: HEALTH_PATH, unsigned: true },
  check: checkHealth,
};
