/** A certificate's chain (leaf first) and fleetca's verification of it (DescribeCertificateChain). */
import type { CertificateChain } from '../api/fleet-types.js';
import { formatDateTime } from '../lib/format.js';

const ROLE_NAMES: Record<string, string> = {
  certificate: 'This certificate',
  'issuing-ca': 'Issuing CA',
  'root-ca': 'Root CA',
  'registered-ca': 'Registered CA',
};

export function CertificateChainView({ chain }: { chain: CertificateChain }) {
  const { valid, problems } = chain.verification;
  return (
    <div data-testid="certificate-chain">
      <p class={valid ? 'verdict verdict-good' : 'verdict verdict-bad'} data-testid="chain-verification">
        {valid
          ? 'The chain verifies: every signature checks and every certificate is valid now.'
          : 'The chain does not verify:'}
      </p>
      {problems.length > 0 ? (
        <ul class="problems">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      ) : null}
      <ol class="chain">
        {chain.chain.map((link, index) => (
          <li key={`${index}-${link.subject}`} data-role={link.role}>
            <strong>{ROLE_NAMES[link.role] ?? link.role}</strong>
            <dl class="facts compact">
              <div class="fact">
                <dt>Subject</dt>
                <dd class="mono">{link.subject || '–'}</dd>
              </div>
              <div class="fact">
                <dt>Issuer</dt>
                <dd class="mono">{link.issuer || '–'}</dd>
              </div>
              <div class="fact">
                <dt>Valid</dt>
                <dd>
                  {formatDateTime(link.notBefore)} to {formatDateTime(link.notAfter)}
                </dd>
              </div>
            </dl>
          </li>
        ))}
      </ol>
    </div>
  );
}
