import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { crlToPem } from '../../ca/crl.js';
import { openHome } from '../../home/open-home.js';
import { revocationSettings } from '../../home/revocation-config.js';
import { CrlPublisher } from '../../revocation/crl-publisher.js';
import { indexIssuedCertificates } from '../../revocation/issuer-index.js';
import { type CliIO, writeNote } from '../io.js';

export interface CrlCommandOptions {
  readonly out?: string;
  readonly pem: boolean;
  readonly store?: string;
}

/**
 * `fleetca ca crl`: signs a new CRL of the issuing CA from the registry (the same one `fleetca serve` serves, with
 * the next CRL number) and writes it to --out, replaced atomically so a broker reloading it never reads half a
 * file, or to stdout. DER unless --pem (Mosquitto's and nginx's crlfile want PEM).
 */
export async function runCrlCommand(options: CrlCommandOptions, io: CliIO): Promise<number> {
  const home = await openHome(io.env, { store: options.store, onNote: (note) => writeNote(io, note) });
  try {
    await indexIssuedCertificates(home.registry.revocation);
    const publisher = new CrlPublisher({
      registry: home.registry,
      authority: home.authority,
      settings: revocationSettings(home.dataDir.config.revocation),
    });
    const crl = await publisher.publish();
    const bytes = options.pem ? Buffer.from(crlToPem(crl.der)) : crl.der;
    if (options.out === undefined) {
      (io.stdout.write as unknown as (chunk: Uint8Array) => unknown)(bytes);
    } else {
      await replaceFile(resolve(io.cwd, options.out), bytes);
      writeNote(
        io,
        `wrote CRL number ${crl.crlNumber} (${crl.entries} entries, next update ${crl.nextUpdate.toISOString()}) to ${options.out}`,
      );
    }
    return 0;
  } finally {
    await home.close();
  }
}

/** Written and fsynced under a temporary name beside the target, then renamed over it (mode 0644: a CRL is public). */
async function replaceFile(path: string, bytes: Buffer): Promise<void> {
  const temporary = join(dirname(path), `.${randomBytes(6).toString('hex')}.crl.tmp`);
  const file = await open(temporary, 'wx', 0o644);
  try {
    await file.writeFile(bytes);
    await file.sync();
  } catch (err) {
    await file.close();
    await unlink(temporary).catch(() => {});
    throw err;
  }
  await file.close();
  await rename(temporary, path).catch(async (err: unknown) => {
    await unlink(temporary).catch(() => {});
    throw err;
  });
}
