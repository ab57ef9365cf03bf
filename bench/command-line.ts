/** The benchmarks' option syntax: `--name value`, `--name=value` and flags, each also an environment variable. */

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface OptionNames {
  /** Options without a value. */
  readonly flags: ReadonlySet<string>;
  readonly valued: ReadonlySet<string>;
  /** `FLEETCA_BENCH_` makes `--round-seconds` readable from FLEETCA_BENCH_ROUND_SECONDS. */
  readonly envPrefix: string;
}

/** The options' raw values, from the environment first and the arguments over them; flags are '1'. */
export function collectOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  names: OptionNames,
): Map<string, string> {
  const values = new Map<string, string>();
  for (const name of [...names.flags, ...names.valued]) {
    const value = env[`${names.envPrefix}${name.toUpperCase().replaceAll('-', '_')}`];
    if (value !== undefined && value !== '') values.set(name, value);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`unexpected argument ${arg}`);
    const name = match[1] as string;
    if (names.flags.has(name)) {
      if (match[2] !== undefined) throw new UsageError(`--${name} takes no value`);
      values.set(name, '1');
    } else if (names.valued.has(name)) {
      const value = match[2] ?? argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      values.set(name, value);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return values;
}

/** A flag's value as set in the environment: anything but 0, false or no. */
export function truthy(text: string | undefined): boolean {
  return text !== undefined && !/^(0|false|no)$/i.test(text);
}

/**
 * Parses a bench's command line: the options, or the exit code to end with — 0 after printing the usage for
 * --help, 2 after a usage error.
 */
export function optionsOrExitCode<T>(parse: () => T | undefined, usage: string): T | number {
  let options: T | undefined;
  try {
    options = parse();
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n\n${usage}`);
    return 2;
  }
  if (options === undefined) {
    process.stdout.write(usage);
    return 0;
  }
  return options;
}
