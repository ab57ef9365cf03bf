import { randomFillSync } from 'node:crypto';

/**
 * Bytes from the CSPRNG (node's randomFill: OpenSSL's DRBG), fetched 8 KiB at a time: one call per
 * candidate costs more than the candidate's trial division. Each byte is handed out once, and the
 * buffer is wiped as it is consumed, so no candidate outlives its use in here.
 */
export class RandomBytes {
  private readonly buffer = Buffer.alloc(8192);
  private offset = this.buffer.length;

  /** Fills `target` with fresh random bytes. */
  fill(target: Buffer): Buffer {
    if (target.length > this.buffer.length) return randomFillSync(target);
    if (this.offset + target.length > this.buffer.length) {
      randomFillSync(this.buffer);
      this.offset = 0;
    }
    const end = this.offset + target.length;
    this.buffer.copy(target, 0, this.offset, end);
    this.buffer.fill(0, this.offset, end);
    this.offset = end;
    return target;
  }
}
