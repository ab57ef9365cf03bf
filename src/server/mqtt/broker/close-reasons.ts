import type { CloseReason } from './broker.js';
import { ReasonCode } from './reason-codes.js';

/** Why a connection the server dropped ended, from the reason code it was dropped with. */
export function dropReason(reasonCode: number | undefined, brokerClosing: boolean): CloseReason {
  if (brokerClosing) return 'server-shutdown';
  if (reasonCode === ReasonCode.SessionTakenOver) return 'taken-over';
  if (reasonCode === ReasonCode.NotAuthorized) return 'not-authorized';
  return 'dropped';
}

/** What a failure's reason code says about who broke what. */
export function failureReason(reasonCode: number): CloseReason {
  if (reasonCode === ReasonCode.KeepAliveTimeout) return 'keep-alive-timeout';
  if (reasonCode === ReasonCode.NotAuthorized) return 'not-authorized';
  if (reasonCode === ReasonCode.ImplementationSpecificError || reasonCode === ReasonCode.UnspecifiedError) {
    return 'server-error';
  }
  return 'client-error';
}
