import { open } from 'node:fs/promises';

/** fsync(2) on a file or a directory: a new file survives power loss only once its directory entry does too. */
export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
