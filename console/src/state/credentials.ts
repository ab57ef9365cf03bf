/** The operator's access key and region: kept in memory and in this tab's sessionStorage only. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
}

const STORAGE_KEY = 'fleetca.console.session';

function isCredentials(value: unknown): value is Credentials {
  const v = value as Record<string, unknown> | null;
  return (
    !!v &&
    typeof v.accessKeyId === 'string' &&
    typeof v.secretAccessKey === 'string' &&
    typeof v.region === 'string' &&
    v.accessKeyId !== '' &&
    v.secretAccessKey !== '' &&
    v.region !== ''
  );
}

/** The session this tab signed in with, if any (sessionStorage ends with the tab). */
export function loadCredentials(storage: Pick<Storage, 'getItem'> | undefined): Credentials | undefined {
  try {
    const text = storage?.getItem(STORAGE_KEY);
    if (!text) return undefined;
    const value: unknown = JSON.parse(text);
    return isCredentials(value)
      ? { accessKeyId: value.accessKeyId, secretAccessKey: value.secretAccessKey, region: value.region }
      : undefined;
  } catch {
    return undefined;
  }
}

export function saveCredentials(storage: Pick<Storage, 'setItem'> | undefined, credentials: Credentials): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(credentials));
  } catch {
    // Storage refused (private mode, quota): the session lives in memory until the page is reloaded.
  }
}

export function clearCredentials(storage: Pick<Storage, 'removeItem'> | undefined): void {
  try {
    storage?.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored to remove.
  }
}

/** sessionStorage when the browser offers it. */
export function browserSessionStorage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}
