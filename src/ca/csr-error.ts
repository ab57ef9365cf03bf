/** A CSR that cannot be used; the message is meant for the API caller (InvalidRequestException). */
export class CsrError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsrError';
  }
}
