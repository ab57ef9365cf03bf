import { generateKeyPairSync } from 'node:crypto';
import { parentPort } from 'node:worker_threads';

/**
 * Runs inside a worker thread: generates one RSA-2048 key pair per request, so the work stays off
 * the main event loop and off libuv's pool (which file and DNS I/O share). Keys travel back as DER
 * in transferred memory, never through a file.
 */
export interface KeygenReply {
  readonly id: number;
  readonly privateKeyDer?: ArrayBuffer;
  readonly publicKeyDer?: ArrayBuffer;
  readonly error?: string;
}

/** Sent instead of a job id: finish and let the thread end. */
export const CLOSE = 'close';

parentPort?.on('message', (id: number | typeof CLOSE) => {
  if (id === CLOSE) {
    parentPort?.close();
    return;
  }
  try {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
    const privateDer = privateKey.export({ type: 'pkcs8', format: 'der' });
    const publicDer = publicKey.export({ type: 'spki', format: 'der' });
    const reply: KeygenReply = {
      id,
      privateKeyDer: toTransferable(privateDer),
      publicKeyDer: toTransferable(publicDer),
    };
    parentPort?.postMessage(reply, [reply.privateKeyDer as ArrayBuffer, reply.publicKeyDer as ArrayBuffer]);
    privateDer.fill(0);
  } catch (err) {
    parentPort?.postMessage({ id, error: (err as Error).message } satisfies KeygenReply);
  }
});

function toTransferable(der: Buffer): ArrayBuffer {
  const copy = new ArrayBuffer(der.length);
  new Uint8Array(copy).set(der);
  return copy;
}
