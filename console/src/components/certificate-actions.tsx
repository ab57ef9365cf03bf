/** Activate / Deactivate / Revoke / Delete for one certificate, each behind a confirmation that says what happens. */
import { DeleteCertificateCommand, UpdateCertificateCommand } from '@aws-sdk/client-iot';
import { useState } from 'preact/hooks';
import {
  type ActionKind,
  type CertificateState,
  certificateActions,
  confirmationFor,
  newStatusFor,
} from '../lib/certificate-actions.js';
import { useSession } from '../state/session.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { ErrorAlert } from './feedback.js';

interface Props {
  readonly certificateId: string;
  readonly state: CertificateState;
  readonly onChanged: () => void;
  readonly onDeleted: () => void;
}

export function CertificateActions({ certificateId, state, onChanged, onDeleted }: Props) {
  const { iot } = useSession();
  const [pending, setPending] = useState<ActionKind | null>(null);
  const [forceDelete, setForceDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const choices = certificateActions(state);
  const confirmation = pending ? confirmationFor(pending, state) : undefined;

  const open = (kind: ActionKind) => {
    setPending(kind);
    setForceDelete(false);
    setError(undefined);
  };
  const close = () => {
    if (!busy) setPending(null);
  };
  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    setError(undefined);
    try {
      const newStatus = newStatusFor(pending);
      if (newStatus) await iot.send(new UpdateCertificateCommand({ certificateId, newStatus }));
      else await iot.send(new DeleteCertificateCommand({ certificateId, forceDelete }));
      setBusy(false);
      setPending(null);
      if (newStatus) onChanged();
      else onDeleted();
    } catch (caught) {
      setBusy(false);
      setError(caught);
    }
  };

  return (
    <section class="panel" aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      <ul class="actions">
        {choices.map((choice) => (
          <li key={choice.kind}>
            <button
              type="button"
              class={choice.kind === 'activate' ? 'button' : 'button button-danger-outline'}
              disabled={choice.unavailable !== undefined}
              aria-describedby={choice.unavailable ? `why-${choice.kind}` : undefined}
              onClick={() => open(choice.kind)}
              data-testid={`action-${choice.kind}`}
            >
              {choice.label}
            </button>
            {choice.unavailable ? (
              <span id={`why-${choice.kind}`} class="hint">
                {choice.unavailable}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      <ConfirmDialog
        open={pending !== null}
        title={confirmation?.title ?? ''}
        confirmLabel={confirmation?.confirmLabel ?? 'Confirm'}
        danger={confirmation?.danger ?? false}
        busy={busy}
        confirmDisabled={false}
        onConfirm={confirm}
        onCancel={close}
      >
        {confirmation?.paragraphs.map((text) => (
          <p key={text}>{text}</p>
        ))}
        {confirmation?.offerForceDelete ? (
          <label class="checkbox">
            <input
              type="checkbox"
              checked={forceDelete}
              onChange={(e) => setForceDelete(e.currentTarget.checked)}
              data-testid="dialog-force-delete"
            />
            Detach policies (forceDelete)
          </label>
        ) : null}
        <p class="mono small breakable">{certificateId}</p>
        <ErrorAlert error={error} />
      </ConfirmDialog>
    </section>
  );
}
