/** The signed-in session: the operator's credentials and the two API clients made from them. */
import type { IoTClient } from '@aws-sdk/client-iot';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { FleetClient } from '../api/fleet.js';
import { createIotClient } from '../api/iot-client.js';
import type { Credentials } from './credentials.js';

export interface Session {
  readonly credentials: Credentials;
  readonly iot: IoTClient;
  readonly fleet: FleetClient;
  readonly signOut: () => void;
}

/** Clients for a set of credentials, talking to the origin that served the console. */
export function openSession(credentials: Credentials, endpoint: string, signOut: () => void): Session {
  return {
    credentials,
    iot: createIotClient(credentials, endpoint),
    fleet: new FleetClient({ credentials, endpoint }),
    signOut,
  };
}

export const SessionContext = createContext<Session | null>(null);

/** The current session; views below the sign-in gate always have one. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession used outside a signed-in session');
  return session;
}
