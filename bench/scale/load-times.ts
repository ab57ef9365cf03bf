/** How long a bulk load took: the INSERTs themselves, then what makes the store steady (checkpoint, vacuum). */
export interface LoadTimes {
  readonly insertSeconds: number;
  readonly settleSeconds: number;
}
