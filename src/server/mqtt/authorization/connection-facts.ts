import type { DevicePrincipal } from '../../../domain/devices/device-principal.js';
import type { ConnectInfo } from '../broker/broker.js';
import type { ConnectionFacts } from './authority-loader.js';

/** The address a device connects from: a dual-stack socket's ::ffff:a.b.c.d is a.b.c.d, as policies write it. */
export function sourceIpOf(remoteAddress: string | undefined): string | undefined {
  return remoteAddress?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
}

/** What an admitted connection's authorization may depend on, from its CONNECT, certificate and socket. */
export function connectionFacts(
  principal: DevicePrincipal,
  connect: ConnectInfo,
  certificateDer: Buffer,
  remoteAddress: string | undefined,
): ConnectionFacts {
  const sourceIp = sourceIpOf(remoteAddress);
  return {
    principal,
    clientId: connect.clientId,
    certificateDer,
    ...(sourceIp !== undefined ? { sourceIp } : {}),
    connectAttributes: [
      ...(connect.persistentSession ? ['PersistentConnect'] : []),
      ...(connect.hasWill ? ['LastWill'] : []),
    ],
  };
}
