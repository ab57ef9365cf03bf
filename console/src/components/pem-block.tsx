/** A PEM shown in full, with Copy and Download; `secret` adds the warning that it is shown only once. */
import { useRef, useState } from 'preact/hooks';
import { copyText, downloadText, selectContents } from '../lib/browser.js';
import { Notice } from './feedback.js';

interface Props {
  readonly label: string;
  readonly pem: string;
  readonly filename: string;
  /** Prefix of the data-testid of the block and its buttons (`<testid>`, `<testid>-copy`, `<testid>-download`). */
  readonly testid: string;
  readonly secret?: boolean;
}

export function PemBlock({ label, pem, filename, testid, secret }: Props) {
  const text = useRef<HTMLPreElement>(null);
  const [notice, setNotice] = useState('');
  const copy = async () => {
    if (await copyText(pem)) setNotice(`${label} copied to the clipboard.`);
    else {
      if (text.current) selectContents(text.current);
      setNotice('The clipboard is not available here: the text is selected, press Ctrl+C (⌘C) to copy it.');
    }
  };
  return (
    <section class={secret ? 'pem pem-secret' : 'pem'} data-testid={testid} aria-label={label}>
      <div class="pem-head">
        <h3>{label}</h3>
        <div class="pem-buttons">
          <button type="button" class="button" onClick={copy} data-testid={`${testid}-copy`}>
            Copy
          </button>
          <button
            type="button"
            class="button"
            onClick={() => downloadText(pem, filename)}
            data-testid={`${testid}-download`}
          >
            Download {filename}
          </button>
        </div>
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the PEM scrolls sideways; keyboard users need to reach it. */}
      <pre ref={text} class="pem-text" tabIndex={0}>
        {pem}
      </pre>
      {notice ? <Notice text={notice} /> : null}
    </section>
  );
}

/** The warning shown with a private key: it exists only in this answer. */
export function SecretWarning() {
  return (
    <div class="alert alert-warn" role="note" data-testid="private-key-warning">
      <p>
        <strong>Save the private key now.</strong> fleetca does not keep it: it is shown only on this page, once, and is
        forgotten when you leave it. Without it the certificate cannot be used.
      </p>
    </div>
  );
}
