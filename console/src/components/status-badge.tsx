/** A certificate's (or CA's) status as a coloured badge; the word itself carries the meaning. */
const TONES: Record<string, string> = {
  ACTIVE: 'good',
  INACTIVE: 'muted',
  REVOKED: 'bad',
  PENDING_TRANSFER: 'warn',
  PENDING_ACTIVATION: 'warn',
  REGISTER_INACTIVE: 'muted',
  ENABLE: 'good',
  DISABLE: 'muted',
};

export function StatusBadge({ status }: { status: string | undefined }) {
  const text = status ?? 'UNKNOWN';
  return (
    <span class={`badge badge-${TONES[text] ?? 'muted'}`} data-testid="status-badge" data-status={text}>
      {text}
    </span>
  );
}
