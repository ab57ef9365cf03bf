/** The shared bits of feedback: the error alert, the loading line and the empty state. */
import type { ComponentChildren } from 'preact';
import { errorText } from '../api/errors.js';

/** Errors in plain words, in an alert region that screen readers announce. */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (error === undefined || error === null) return null;
  return (
    <div class="alert alert-error" role="alert" data-testid="error-alert">
      <p>{errorText(error)}</p>
      {onRetry ? (
        <button type="button" class="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function Loading({ what = 'Loading…' }: { what?: string }) {
  return (
    <p class="loading" role="status" data-testid="loading">
      <span class="spinner" aria-hidden="true" />
      {what}
    </p>
  );
}

export function EmptyState({ children }: { children: ComponentChildren }) {
  return (
    <div class="empty" data-testid="empty-state">
      {children}
    </div>
  );
}

/** A polite live message (e.g. "Copied"), announced without moving focus. */
export function Notice({ text }: { text: string }) {
  return (
    <p class="notice" role="status" aria-live="polite">
      {text}
    </p>
  );
}
