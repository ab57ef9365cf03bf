import { openHome } from '../../home/open-home.js';
import type { CliIO } from '../io.js';

const USAGE = 'usage: fleetca ca export\n\n  export    print the CA chain (issuing CA, then root) in PEM\n';

/** `fleetca ca ...`: the data directory's certificate authority. */
export async function runCaCommand(args: readonly string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'help' || sub === '--help' || sub === undefined) {
    (sub === undefined ? io.stderr : io.stdout).write(USAGE);
    return sub === undefined ? 252 : 0;
  }
  if (sub !== 'export' || rest.length > 0) {
    io.stderr.write(`\n${USAGE}\nfleetca: [ERROR]: Unknown options: ${[sub, ...rest].join(', ')}\n`);
    return 252;
  }
  const home = await openHome(io.env);
  try {
    io.stdout.write(home.authority.chainPem());
    return 0;
  } finally {
    await home.close();
  }
}
