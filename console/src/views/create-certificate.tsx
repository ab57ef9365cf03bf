/** Create keys and certificate: one CreateKeysAndCertificate; the private key is shown once and never kept. */
import { CreateKeysAndCertificateCommand } from '@aws-sdk/client-iot';
import { useState } from 'preact/hooks';
import { PageHeader } from '../components/facts.js';
import { ErrorAlert } from '../components/feedback.js';
import { type IssuedKeys, IssuedKeysView } from '../components/issued-keys.js';
import { href } from '../lib/route.js';
import { useSession } from '../state/session.js';

export function CreateCertificate() {
  const { iot } = useSession();
  const [setAsActive, setSetAsActive] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  // Component state only: unmounting (leaving the page) is the end of the private key in this browser.
  const [issued, setIssued] = useState<IssuedKeys | undefined>(undefined);

  const create = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const answer = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive }));
      setIssued({
        certificateId: answer.certificateId ?? '',
        certificateArn: answer.certificateArn,
        certificatePem: answer.certificatePem ?? '',
        publicKey: answer.keyPair?.PublicKey ?? '',
        privateKey: answer.keyPair?.PrivateKey ?? '',
      });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title="Create keys and certificate" />
      {issued ? (
        <>
          <IssuedKeysView issued={issued} />
          <p class="form-actions">
            <a class="button" href={href('certificates', issued.certificateId)} data-testid="issued-certificate-link">
              Open the certificate
            </a>
            <button type="button" class="button" onClick={() => setIssued(undefined)} data-testid="create-another">
              Create another (forgets this key)
            </button>
          </p>
        </>
      ) : (
        <form class="card form" onSubmit={create} aria-label="Create keys and certificate">
          <p>
            fleetca makes an RSA-2048 key pair and a certificate signed by its CA. The private key is shown once, on the
            next screen, and is not kept anywhere.
          </p>
          <label class="checkbox">
            <input
              type="checkbox"
              checked={setAsActive}
              onChange={(e) => setSetAsActive(e.currentTarget.checked)}
              data-testid="create-set-as-active"
            />
            Activate the certificate now (setAsActive)
          </label>
          <ErrorAlert error={error} />
          <button type="submit" class="button button-primary" disabled={busy} data-testid="create-submit">
            {busy ? 'Creating…' : 'Create keys and certificate'}
          </button>
        </form>
      )}
    </>
  );
}
