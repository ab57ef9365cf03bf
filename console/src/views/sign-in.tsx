/** Sign-in: an access key and a region, verified with one signed call before the console opens. */
import { ListCertificatesCommand } from '@aws-sdk/client-iot';
import { useEffect, useState } from 'preact/hooks';
import { type ConsoleConfig, fallbackConfig, loadConsoleConfig } from '../api/console-config.js';
import { createIotClient } from '../api/iot-client.js';
import { ErrorAlert } from '../components/feedback.js';
import type { Credentials } from '../state/credentials.js';

interface Props {
  readonly endpoint: string;
  readonly onSignedIn: (credentials: Credentials) => void;
}

export function SignIn({ endpoint, onSignedIn }: Props) {
  const [config, setConfig] = useState<ConsoleConfig>(fallbackConfig);
  const [accessKeyId, setAccessKeyId] = useState('');
  const [secretAccessKey, setSecretAccessKey] = useState('');
  const [region, setRegion] = useState('');
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    loadConsoleConfig().then((loaded) => {
      if (!live) return;
      setConfig(loaded);
      setRegion((current) => current || loaded.defaultRegion);
    });
    return () => {
      live = false;
    };
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const credentials: Credentials = {
      accessKeyId: accessKeyId.trim(),
      secretAccessKey: secretAccessKey.trim(),
      region: (region || config.defaultRegion).trim(),
    };
    if (!credentials.accessKeyId || !credentials.secretAccessKey || !credentials.region) {
      setError(new Error('Enter the access key id, the secret access key and the region.'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      // One signed call proves the key, the secret and the region before anything else is shown.
      await createIotClient(credentials, endpoint).send(new ListCertificatesCommand({ pageSize: 1 }));
      onSignedIn(credentials);
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in" tabIndex={-1}>
      <form class="card sign-in-card" onSubmit={submit} aria-labelledby="sign-in-title" noValidate>
        <h1 id="sign-in-title">Sign in to fleetca</h1>
        <p class="hint">
          Use an access key made with <code>fleetca admin create-access-key</code>. It stays in this browser tab only
          and signs every request (SigV4).
        </p>
        <label for="access-key-id">Access key id</label>
        <input
          id="access-key-id"
          name="accessKeyId"
          autocomplete="username"
          spellcheck={false}
          value={accessKeyId}
          onInput={(e) => setAccessKeyId(e.currentTarget.value)}
          data-testid="signin-access-key-id"
          required
        />
        <label for="secret-access-key">Secret access key</label>
        <input
          id="secret-access-key"
          name="secretAccessKey"
          type="password"
          autocomplete="current-password"
          value={secretAccessKey}
          onInput={(e) => setSecretAccessKey(e.currentTarget.value)}
          data-testid="signin-secret-access-key"
          required
        />
        <label for="region">Region</label>
        {config.regions ? (
          <select
            id="region"
            name="region"
            value={region}
            onChange={(e) => setRegion(e.currentTarget.value)}
            data-testid="signin-region"
          >
            {config.regions.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        ) : (
          <input
            id="region"
            name="region"
            spellcheck={false}
            value={region}
            placeholder={config.defaultRegion}
            onInput={(e) => setRegion(e.currentTarget.value)}
            data-testid="signin-region"
          />
        )}
        <ErrorAlert error={error} />
        <button type="submit" class="button button-primary" disabled={busy} data-testid="signin-submit">
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
