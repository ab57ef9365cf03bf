/**
 * Follows MQTT's framing (fixed header byte, 1–4 byte remaining length, body) through the byte stream and
 * says when a packet announces more than the limit. The broker's parser would otherwise buffer a packet of
 * up to 256 MiB that a client merely announces.
 */
export class PacketSizeScanner {
  #state: 'header' | 'length' | 'body' = 'header';
  #length = 0;
  #multiplier = 1;
  #lengthBytes = 0;
  #remaining = 0;

  constructor(private readonly maxPacketBytes: number) {}

  /** False as soon as a packet is too large (or its length field malformed). */
  accept(chunk: Buffer): boolean {
    let i = 0;
    while (i < chunk.length) {
      if (this.#state === 'header') {
        i++;
        this.#state = 'length';
        this.#length = 0;
        this.#multiplier = 1;
        this.#lengthBytes = 0;
      } else if (this.#state === 'length') {
        const byte = chunk[i++] as number;
        this.#length += (byte & 0x7f) * this.#multiplier;
        this.#multiplier *= 128;
        this.#lengthBytes++;
        if (this.#length + 1 + this.#lengthBytes > this.maxPacketBytes) return false;
        if ((byte & 0x80) === 0) {
          this.#remaining = this.#length;
          this.#state = this.#remaining === 0 ? 'header' : 'body';
        } else if (this.#lengthBytes === 4) {
          return false;
        }
      } else {
        const take = Math.min(this.#remaining, chunk.length - i);
        i += take;
        this.#remaining -= take;
        if (this.#remaining === 0) this.#state = 'header';
      }
    }
    return true;
  }
}
