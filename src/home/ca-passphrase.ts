import { readFile } from 'node:fs/promises';
import { HomeError } from './config.js';
import type { PassphraseReader } from './terminal-passphrase.js';

/**
 * Where the passphrase of encrypted CA keys comes from, the same way for every command that needs the key
 * (serve, local-mode issuing, `fleetca ca ...`): a file (FLEETCA_CA_PASSPHRASE_FILE, best: no process listing
 * or environment dump shows it), the variable FLEETCA_CA_PASSPHRASE, else a question on the terminal (no echo).
 * The passphrase itself is never put in a message, a log line or argv.
 */
export interface Passphrase {
  readonly bytes: Buffer;
  /** Where it came from, for messages: `FLEETCA_CA_PASSPHRASE_FILE (/run/secrets/ca)`, `the terminal`. */
  readonly source: string;
}

/** Gives the passphrase when a key needs it; asked for at most once per use. */
export type PassphraseSource = () => Promise<Passphrase>;

type Env = Readonly<Record<string, string | undefined>>;

/** The two settings a passphrase can come from: a file holding it, or the variable itself. */
export interface PassphraseSettings {
  readonly file: string;
  readonly value: string;
}

export const CA_PASSPHRASE: PassphraseSettings = {
  file: 'FLEETCA_CA_PASSPHRASE_FILE',
  value: 'FLEETCA_CA_PASSPHRASE',
};
/** `fleetca ca passphrase`: the passphrase that replaces the current one. */
export const NEW_CA_PASSPHRASE: PassphraseSettings = {
  file: 'FLEETCA_CA_NEW_PASSPHRASE_FILE',
  value: 'FLEETCA_CA_NEW_PASSPHRASE',
};

/**
 * A terminal to ask on when nothing is configured; `false` never asks (a server under a supervisor, tests);
 * undefined asks the controlling terminal, if there is one.
 */
export type AskOption = PassphraseReader | false | undefined;

/** The passphrase from the environment, or undefined when neither setting is there. */
export async function configuredPassphrase(
  env: Env,
  settings: PassphraseSettings = CA_PASSPHRASE,
): Promise<Passphrase | undefined> {
  const file = env[settings.file];
  const value = env[settings.value];
  const hasFile = file !== undefined && file !== '';
  const hasValue = value !== undefined && value !== '';
  if (hasFile && hasValue) {
    throw new HomeError(`both ${settings.file} and ${settings.value} are set; set only one`);
  }
  if (hasValue) return { bytes: Buffer.from(value, 'utf8'), source: settings.value };
  if (!hasFile) return undefined;
  const source = `${settings.file} (${file})`;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code;
    throw new HomeError(`the CA passphrase file named by ${source} cannot be read: ${why}`);
  }
  // One trailing line break is the file's, not the passphrase's (echo secret > file).
  const passphrase = text.replace(/\r?\n$/, '');
  if (passphrase === '') throw new HomeError(`the CA passphrase file named by ${source} is empty`);
  return { bytes: Buffer.from(passphrase, 'utf8'), source };
}

/** The one way every command gets the passphrase of the CA keys it is about to decrypt. */
export function caPassphraseSource(env: Env, askOption?: AskOption): PassphraseSource {
  return async () => {
    const configured = await configuredPassphrase(env);
    if (configured) return configured;
    // The terminal's code is imported only when a key must be decrypted and nothing configured gives its passphrase.
    const ask =
      askOption === undefined ? (await import('./terminal-passphrase.js')).terminalPassphraseReader() : askOption;
    if (ask) {
      const answer = await ask('Passphrase of the CA key: ');
      if (answer === '') throw new HomeError('no CA passphrase given');
      return { bytes: Buffer.from(answer, 'utf8'), source: 'the terminal' };
    }
    throw new HomeError(
      `the CA key is encrypted and no passphrase was given: put it in a file named by ${CA_PASSPHRASE.file} (or in ${CA_PASSPHRASE.value}), or run on a terminal to be asked for it`,
    );
  };
}

/** A passphrase to encrypt with: configured, else asked twice on the terminal (a typo would lock the CA away). */
export async function newPassphrase(env: Env, settings: PassphraseSettings, ask: AskOption): Promise<Passphrase> {
  const configured = await configuredPassphrase(env, settings);
  if (configured) return configured;
  if (!ask) {
    throw new HomeError(
      `no new CA passphrase given: put it in a file named by ${settings.file} (or in ${settings.value}), or run on a terminal to be asked for it`,
    );
  }
  const first = await ask('New passphrase of the CA key: ');
  if (first === '') throw new HomeError('no CA passphrase given: an empty passphrase protects nothing');
  const second = await ask('Repeat the new passphrase: ');
  if (first !== second) throw new HomeError('the two passphrases differ; nothing was changed');
  return { bytes: Buffer.from(first, 'utf8'), source: 'the terminal' };
}
