/** The CA material on disk is missing, unsafe, corrupted or not fleetca's; the message says which and how to fix it. */
export class CaError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CaError';
  }
}
