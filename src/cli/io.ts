/** The process surface the CLI touches, injectable so tests can run it in-process. */
export interface CliIO {
  readonly stdout: { write(chunk: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(chunk: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** A note about work done on the way (never output): stderr, so stdout stays byte-identical to the AWS CLI's. */
export function writeNote(io: Pick<CliIO, 'stderr'>, note: string): void {
  io.stderr.write(`fleetca: ${note}\n`);
}

export const processIO: CliIO = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
};
