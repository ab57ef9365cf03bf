/**
 * A confirmation in a real modal <dialog>: the page behind is inert (focus stays inside), Escape cancels,
 * focus starts on Cancel (the safe choice) and returns to the button that opened it.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';

interface Props {
  readonly open: boolean;
  readonly title: string;
  readonly confirmLabel: string;
  readonly danger?: boolean;
  readonly busy?: boolean;
  readonly confirmDisabled?: boolean;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
  readonly children?: ComponentChildren;
}

export function ConfirmDialog(props: Props) {
  const { open, title, confirmLabel, danger, busy, confirmDisabled, onConfirm, onCancel, children } = props;
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const opener = useRef<Element | null>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      opener.current = document.activeElement;
      element.showModal();
      cancel.current?.focus();
    } else if (!open && element.open) {
      element.close();
      if (opener.current instanceof HTMLElement && opener.current.isConnected) opener.current.focus();
    }
  }, [open]);

  // Escape fires `cancel` (kept open while busy); however the dialog closes, the parent hears of it through
  // onCancel so that its state and the dialog never disagree.
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const onCancelEvent = (event: Event) => {
      if (busy) event.preventDefault();
    };
    const onClose = () => onCancel();
    element.addEventListener('cancel', onCancelEvent);
    element.addEventListener('close', onClose);
    return () => {
      element.removeEventListener('cancel', onCancelEvent);
      element.removeEventListener('close', onClose);
    };
  }, [busy, onCancel]);

  return (
    <dialog ref={dialog} class="dialog" aria-labelledby={`${id}-title`} data-testid="confirm-dialog">
      <h2 id={`${id}-title`}>{title}</h2>
      <div class="dialog-body">{children}</div>
      <div class="dialog-actions">
        <button
          ref={cancel}
          type="button"
          class="button"
          onClick={onCancel}
          disabled={busy}
          data-testid="dialog-cancel"
        >
          Cancel
        </button>
        <button
          type="button"
          class={danger ? 'button button-danger' : 'button button-primary'}
          onClick={onConfirm}
          disabled={busy || confirmDisabled}
          data-testid="dialog-confirm"
        >
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
