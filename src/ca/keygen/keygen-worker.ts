import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { keyPairMaker } from './key-pair-maker.js';
import { CLOSE, type KeygenReply, type KeygenWorkerData } from './keygen-protocol.js';

/**
 * Runs inside a worker thread: generates one RSA-2048 key pair per request, so the work stays off the
 * main event loop and off libuv's pool (which file and DNS I/O share). Keys travel back as KeyObjects,
 * which share the native key with the receiving thread: the private key is never serialized.
 */
const { engine, niceness } = workerData as KeygenWorkerData;
if (niceness > 0) {
  try {
    // On Linux a priority set with pid 0 applies to the calling thread only. Relative to the process's
    // own nice value, so a server already started with `nice` still keeps its request thread ahead.
    setPriority(Math.min(getPriority() + niceness, 19));
  } catch {
    // Not permitted or not supported: run at normal priority.
  }
}
const makeKeyPair = keyPairMaker(engine);

parentPort?.on('message', (id: number | typeof CLOSE) => {
  if (id === CLOSE) {
    parentPort?.close();
    return;
  }
  const started = performance.now();
  try {
    const { privateKey, publicKey } = makeKeyPair();
    parentPort?.postMessage({
      id,
      privateKey,
      publicKey,
      elapsedMs: performance.now() - started,
    } satisfies KeygenReply);
  } catch (err) {
    parentPort?.postMessage({ id, error: (err as Error).message } satisfies KeygenReply);
  }
});
