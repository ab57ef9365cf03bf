/**
 * `--debug`: DEBUG lines on stderr in the AWS CLI's layout
 * (`2026-11-27 20:52:51,140 - MainThread - awscli.clidriver - DEBUG - message`). One log is active
 * per command; main() opens it when `--debug` is on the line and closes it at the end, and any
 * module may log through `debugLog` without having it passed down. Disabled, it costs nothing.
 *
 * What is logged follows the AWS CLI (spec §9): the arguments, the resolved configuration, each
 * request with its signed headers and each response with its body — a CreateKeysAndCertificate
 * body carries the private key, and it is logged as the AWS CLI logs it. Secrets that never go on
 * the wire (the secret access key) are never logged.
 */

/** Where debug lines go. */
export interface DebugSink {
  write(chunk: string): unknown;
}

let sink: DebugSink | undefined;
let clock: () => Date = () => new Date();

/** Turns debug logging on for this command (`now` is injectable for tests). */
export function enableDebugLog(target: DebugSink, now?: () => Date): void {
  sink = target;
  clock = now ?? (() => new Date());
}

/** Turns debug logging off again. */
export function disableDebugLog(): void {
  sink = undefined;
}

/** Whether `--debug` is on. */
export function debugEnabled(): boolean {
  return sink !== undefined;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** Python logging's default asctime: local time, `YYYY-MM-DD HH:MM:SS,mmm`. */
export function asctime(date: Date): string {
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())},${pad(date.getMilliseconds(), 3)}`
  );
}

/** Logs one message at `level` from `logger` (`fleetca.clidriver`, ...); a no-op unless enabled. */
export function debugLog(logger: string, message: string | (() => string), level = 'DEBUG'): void {
  if (sink === undefined) return;
  const text = typeof message === 'function' ? message() : message;
  sink.write(`${asctime(clock())} - MainThread - ${logger} - ${level} - ${text}\n`);
}
