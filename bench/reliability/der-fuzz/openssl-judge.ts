/**
 * The acceptance oracle: the `openssl` command line, one process per document, several at a time. A document
 * OpenSSL refuses must never be one fleetca accepted (or signed).
 */

import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What OpenSSL is asked about a document. */
export type Question =
  /** `openssl req -verify`: a CSR that parses and whose self-signature verifies. */
  | { readonly kind: 'csr' }
  /** `openssl x509`: a certificate that loads. */
  | { readonly kind: 'loads' }
  /** `openssl verify` against the registered CA: loads and chains to it. */
  | { readonly kind: 'issued-by'; readonly caFile: string }
  /** `openssl verify -check_ss_sig` with itself as the anchor: loads, and verifies with its own key if self-issued. */
  | { readonly kind: 'anchor' };

/** Whether OpenSSL accepts `pem` for `question`; `scratch` is a file name this call may use. */
export async function opensslAccepts(pem: string, question: Question, scratch: string): Promise<boolean> {
  switch (question.kind) {
    case 'csr':
      return (await run(['req', '-verify', '-noout'], pem)) === 0;
    case 'loads':
      return (await run(['x509', '-noout'], pem)) === 0;
    case 'issued-by':
      writeFileSync(scratch, pem);
      return (await run(['verify', ...LENIENT, '-partial_chain', '-CAfile', question.caFile, scratch])) === 0;
    case 'anchor':
      writeFileSync(scratch, pem);
      return (await run(['verify', ...LENIENT, '-check_ss_sig', '-partial_chain', '-CAfile', scratch, scratch])) === 0;
  }
}

/** What RegisterCertificate does not judge: validity dates, and extensions fleetca does not act on. */
const LENIENT = ['-no_check_time', '-ignore_critical'];

function run(args: readonly string[], stdin?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', args, { stdio: [stdin === undefined ? 'ignore' : 'pipe', 'ignore', 'ignore'] });
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? -1));
    // A document OpenSSL stops reading early closes the pipe under us: that is an answer, not an error.
    child.stdin?.on('error', () => {});
    child.stdin?.end(stdin);
  });
}

/** Runs `work` over `items`, `parallel` at a time, in order of the items. */
export async function inParallel<T, R>(
  items: readonly T[],
  parallel: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
  return results;
}

export function scratchFile(dir: string, slot: number): string {
  return join(dir, `judge-${slot}.pem`);
}
