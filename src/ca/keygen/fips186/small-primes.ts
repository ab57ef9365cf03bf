/** The odd primes below `limit`, by the sieve of Eratosthenes. */
export function oddPrimesBelow(limit: number): number[] {
  const composite = new Uint8Array(limit);
  const primes: number[] = [];
  for (let n = 3; n < limit; n += 2) {
    if (composite[n]) continue;
    primes.push(n);
    for (let multiple = n * n; multiple < limit; multiple += 2 * n) composite[multiple] = 1;
  }
  return primes;
}
