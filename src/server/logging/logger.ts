import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/** The levels `--log-level` accepts. */
export const LOG_LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Paths pino censors in every log line, whatever is logged: private keys (keyPair.PrivateKey, any privateKey),
 * credentials and signatures. The server never logs headers or bodies as such, and debug lines pass through
 * the model's `sensitive` filter first; this is the second line of defence for anything that slips through.
 */
export const REDACTED_PATHS: readonly string[] = [
  'PrivateKey',
  'privateKey',
  'keyPair.PrivateKey',
  '*.PrivateKey',
  '*.privateKey',
  '*.keyPair.PrivateKey',
  '*.*.PrivateKey',
  '*.*.privateKey',
  'authorization',
  'Authorization',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  '*.headers.authorization',
  '["x-amz-security-token"]',
  '*["x-amz-security-token"]',
  '*.headers["x-amz-security-token"]',
  'secretAccessKey',
  '*.secretAccessKey',
  'sessionToken',
  '*.sessionToken',
  'secret',
  '*.secret',
];

export interface LoggerOptions {
  readonly level: LevelWithSilent;
  /** Where log lines go; stderr by default so stdout only carries what the command prints. */
  readonly destination?: DestinationStream;
}

/** The server's structured logger: JSON lines, redaction always on. */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? pino.destination({ fd: 2, sync: true });
  return pino(
    {
      name: 'fleetca',
      level: options.level,
      redact: { paths: [...REDACTED_PATHS], censor: '[Redacted]' },
      base: { pid: process.pid },
      // Readable without pino-pretty: "level":"info" and an ISO time.
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
