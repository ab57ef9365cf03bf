/**
 * What an operator may do with a certificate in its current state, and what each action will do, in words
 * for the confirmation dialog. The rules mirror fleetca's status machine (as AWS IoT's): ACTIVE ⇄ INACTIVE,
 * either may be revoked, REVOKED is final, PENDING_TRANSFER is left alone; deletion needs a certificate that
 * is not ACTIVE, no attached things (forceDelete does not detach things), and forceDelete for attached policies.
 */
import { plural } from './format.js';

export type ActionKind = 'activate' | 'deactivate' | 'revoke' | 'delete';

export interface CertificateState {
  readonly status: string;
  /** Live MQTT connections that present this certificate. */
  readonly connections: number;
  readonly things: number;
  readonly policies: number;
}

export interface ActionChoice {
  readonly kind: ActionKind;
  readonly label: string;
  /** Why the action is not available now; absent when it is. */
  readonly unavailable?: string;
}

export interface Confirmation {
  readonly title: string;
  readonly paragraphs: string[];
  readonly confirmLabel: string;
  /** Destructive: shown in the danger colour. */
  readonly danger: boolean;
  /** Deletion with policies attached: the dialog offers forceDelete, which detaches them. */
  readonly offerForceDelete: boolean;
}

const LABELS: Record<ActionKind, string> = {
  activate: 'Activate',
  deactivate: 'Deactivate',
  revoke: 'Revoke',
  delete: 'Delete',
};

/** The status UpdateCertificate is asked for by an action (delete has none). */
export function newStatusFor(kind: ActionKind): 'ACTIVE' | 'INACTIVE' | 'REVOKED' | undefined {
  if (kind === 'activate') return 'ACTIVE';
  if (kind === 'deactivate') return 'INACTIVE';
  if (kind === 'revoke') return 'REVOKED';
  return undefined;
}

function unavailableReason(kind: ActionKind, state: CertificateState): string | undefined {
  const { status } = state;
  if (status === 'PENDING_TRANSFER') return 'The certificate is pending transfer.';
  if (kind === 'delete') {
    if (status === 'ACTIVE') return 'Deactivate or revoke it first: an ACTIVE certificate cannot be deleted.';
    if (state.things > 0) {
      return `Detach its ${plural(state.things, 'thing')} first: deletion never detaches things.`;
    }
    return undefined;
  }
  if (status === 'REVOKED') return 'A revoked certificate stays revoked.';
  if (newStatusFor(kind) === status) return `It is already ${status}.`;
  return undefined;
}

/** Every action with whether it is available now (unavailable ones are shown disabled, with the reason). */
export function certificateActions(state: CertificateState): ActionChoice[] {
  return (['activate', 'deactivate', 'revoke', 'delete'] as const).map((kind) => {
    const unavailable = unavailableReason(kind, state);
    return unavailable ? { kind, label: LABELS[kind], unavailable } : { kind, label: LABELS[kind] };
  });
}

function connectionsNow(count: number): string {
  return `${plural(count, 'device')} connected now`;
}

export function confirmationFor(kind: ActionKind, state: CertificateState): Confirmation {
  const dropped =
    state.connections > 0
      ? `drops the device's live MQTT connection (${connectionsNow(state.connections)})`
      : 'drops any live MQTT connection made with it (none now)';
  switch (kind) {
    case 'activate':
      return {
        title: 'Activate this certificate?',
        paragraphs: [
          'Devices presenting it can connect over MQTT again, as their policies allow.',
          state.status === 'INACTIVE' ? 'CRLs and OCSP stop reporting it on hold.' : '',
        ].filter(Boolean),
        confirmLabel: 'Activate',
        danger: false,
        offerForceDelete: false,
      };
    case 'deactivate':
      return {
        title: 'Deactivate this certificate?',
        paragraphs: [
          `Deactivating ${dropped} and refuses new ones until it is activated again.`,
          'CRLs and OCSP report it on hold (certificateHold) meanwhile.',
        ],
        confirmLabel: 'Deactivate',
        danger: true,
        offerForceDelete: false,
      };
    case 'revoke':
      return {
        title: 'Revoke this certificate?',
        paragraphs: [
          'Revoking is final: the certificate can never be activated again.',
          `It ${dropped}, refuses new ones, and CRLs and OCSP report it revoked.`,
        ],
        confirmLabel: 'Revoke',
        danger: true,
        offerForceDelete: false,
      };
    case 'delete':
      return {
        title: 'Delete this certificate?',
        paragraphs: [
          'Deleting removes it from the registry and cannot be undone; CRLs and OCSP keep reporting a certificate ' +
            'fleetca issued as revoked.',
          state.policies > 0
            ? `${plural(state.policies, 'policy', 'policies')} ${state.policies === 1 ? 'is' : 'are'} attached: ` +
              `tick "Detach policies (forceDelete)" to delete anyway, which detaches ${state.policies === 1 ? 'it' : 'them'}.`
            : '',
        ].filter(Boolean),
        confirmLabel: 'Delete',
        danger: true,
        offerForceDelete: state.policies > 0,
      };
  }
}
