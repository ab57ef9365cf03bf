import type { EventEmitter } from 'node:events';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { KEYGEN_ENGINES, type KeygenEngine } from '../../ca/keygen/engines.js';
import { checkServerNames } from '../../ca/server-certificate.js';
import { DEVICE_AUTHORIZATIONS, type DeviceAuthorization } from '../../domain/devices/device-authorization.js';
import { checkClusterName, parseClusterServers } from '../../home/cluster-config.js';
import { MAX_KEYGEN_SETTING } from '../../home/config.js';
import { checkPublicBaseUrl } from '../../home/revocation-config.js';
import { createLogger, LOG_LEVELS } from '../../server/logging/logger.js';
import type { MqttOptions } from '../../server/mqtt/device-door.js';
import type { RefusalMode } from '../../server/mqtt/device-endpoint.js';
import { type FleetcaServer, ServeError, type ServeOptions, startServer } from '../../server/serve.js';
import { type ArgType, ArgumentParser } from '../argv/argparse.js';
import { ArgParseError, GeneralError, UnknownArgumentError } from '../errors/cli-errors.js';
import type { CliIO } from '../io.js';
import { parsePyInt } from '../python/int.js';
import { SERVE_HELP as HELP } from './serve-help.js';

const DEV_WARNING = `
**********************************************************************
WARNING: --dev-accept-any-credentials is on. Signatures are NOT checked:
anyone who can reach this port can issue and revoke certificates.
Never use this outside development.
**********************************************************************
`;

/** How long requests in flight get to finish after SIGTERM/SIGINT before their connections are cut. */
export const SHUTDOWN_GRACE_MS = 10_000;

const REGION = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A whole number from `minimum` to `maximum`, as Python's int() would read it. */
function wholeNumberType(minimum: number, maximum: number): ArgType {
  return {
    name: 'int',
    expected: `a whole number from ${minimum} to ${maximum}`,
    convert: (text) => {
      const value = parsePyInt(text);
      return typeof value === 'number' && value >= minimum && value <= maximum ? value : undefined;
    },
  };
}

const PORT_TYPE = wholeNumberType(0, 65535);

/** Above any file-descriptor limit and any sensible deadline (about 11.5 days in ms). */
const MAX_GUARD_SETTING = 1_000_000_000;

/** The connection guard's options: option, destination, smallest value. */
const GUARD_OPTIONS = [
  ['--handshake-timeout-ms', 'handshakeTimeoutMs', 1],
  ['--first-request-timeout-ms', 'firstRequestTimeoutMs', 1],
  ['--keep-alive-timeout-ms', 'keepAliveTimeoutMs', 1],
  ['--max-connections', 'maxConnections', 1],
  ['--max-pending-connections', 'maxPending', 1],
  ['--max-pending-per-address', 'maxPendingPerAddress', 1],
] as const;

const parser = new ArgumentParser([
  // As the operation parsers of `fleetca iot`: any other word here is an unknown option, not a bad `help`.
  { dest: 'help', nargs: 'optional' },
  { optionStrings: ['--host'], kind: 'store', dest: 'host', default: '127.0.0.1' },
  { optionStrings: ['--port'], kind: 'store', dest: 'port', type: PORT_TYPE, default: 8080 },
  { optionStrings: ['--tls'], kind: 'const', dest: 'tls', constValue: true, default: false },
  { optionStrings: ['--tls-hostname'], kind: 'store', dest: 'tlsHostname' },
  { optionStrings: ['--regions'], kind: 'store', dest: 'regions' },
  {
    optionStrings: ['--dev-accept-any-credentials'],
    kind: 'const',
    dest: 'devAcceptAnyCredentials',
    constValue: true,
    default: false,
    exactOnly: true,
  },
  {
    optionStrings: ['--key-pool-size'],
    kind: 'store',
    dest: 'keyPoolSize',
    type: wholeNumberType(0, MAX_KEYGEN_SETTING),
  },
  {
    optionStrings: ['--keygen-engine'],
    kind: 'store',
    dest: 'keygenEngine',
    choices: KEYGEN_ENGINES,
    listChoices: true,
  },
  {
    optionStrings: ['--keygen-threads'],
    kind: 'store',
    dest: 'keygenThreads',
    type: wholeNumberType(1, MAX_KEYGEN_SETTING),
  },
  { optionStrings: ['--store'], kind: 'store', dest: 'store' },
  {
    optionStrings: ['--log-level'],
    kind: 'store',
    dest: 'logLevel',
    default: 'info',
    choices: LOG_LEVELS,
    listChoices: true,
  },
  { optionStrings: ['--mqtt-port'], kind: 'store', dest: 'mqttPort', type: PORT_TYPE, default: 8883 },
  { optionStrings: ['--mqtt-host'], kind: 'store', dest: 'mqttHost' },
  { optionStrings: ['--mqtt-hostname'], kind: 'store', dest: 'mqttHostname' },
  {
    optionStrings: ['--mqtt-refusal'],
    kind: 'store',
    dest: 'mqttRefusal',
    default: 'close',
    choices: ['close', 'connack'],
    listChoices: true,
  },
  {
    optionStrings: ['--device-authorization'],
    kind: 'store',
    dest: 'deviceAuthorization',
    choices: [...DEVICE_AUTHORIZATIONS],
    listChoices: true,
  },
  { optionStrings: ['--no-mqtt'], kind: 'const', dest: 'noMqtt', constValue: true, default: false },
  { optionStrings: ['--data-endpoint'], kind: 'store', dest: 'dataEndpoint' },
  { optionStrings: ['--public-base-url'], kind: 'store', dest: 'publicBaseUrl' },
  { optionStrings: ['--cluster'], kind: 'store', dest: 'cluster' },
  { optionStrings: ['--cluster-name'], kind: 'store', dest: 'clusterName' },
  { optionStrings: ['--no-console'], kind: 'const', dest: 'noConsole', constValue: true, default: false },
  { optionStrings: ['--console-dir'], kind: 'store', dest: 'consoleDir' },
  ...GUARD_OPTIONS.map(([option, dest, minimum]) => ({
    optionStrings: [option],
    kind: 'store' as const,
    dest,
    type: wholeNumberType(minimum, MAX_GUARD_SETTING),
  })),
]);

/**
 * `fleetca serve ...`: runs the REST server until SIGTERM or SIGINT, then stops gracefully and returns 0.
 * A second signal during the shutdown takes its default action (immediate exit). Errors at start go to
 * main's reporter (exit 255; bad arguments 252).
 */
export async function runServeCommand(
  args: readonly string[],
  io: CliIO,
  signals: EventEmitter = process,
): Promise<number> {
  if (args.includes('--help')) {
    io.stdout.write(HELP);
    return 0;
  }
  const { values, extras } = parser.parseKnownArgs(args);
  if (values.help === 'help') {
    io.stdout.write(HELP);
    return 0;
  }
  if (typeof values.help === 'string') extras.push(values.help);
  if (extras.length > 0) throw new UnknownArgumentError(`Unknown options: ${extras.join(', ')}`);
  const host = values.host as string;
  const tlsNames = values.tls ? serverNames(values.tlsHostname as string | undefined, host) : undefined;
  if (!values.tls && values.tlsHostname !== undefined) throw new ArgParseError('argument --tls-hostname: needs --tls');
  const regions = values.regions === undefined ? undefined : regionSet(values.regions as string);
  const devAcceptAnyCredentials = values.devAcceptAnyCredentials === true;
  const mqtt = mqttOptions(values, host);
  const dataEndpoint = dataEndpointOf(values.dataEndpoint as string | undefined);
  const publicBaseUrl = publicBaseUrlOf(values.publicBaseUrl as string | undefined);
  const cluster = clusterOf(values, mqtt !== undefined);
  const consoleDir = consoleDirOf(values);

  if (devAcceptAnyCredentials) io.stderr.write(DEV_WARNING);
  const logger = createLogger({ level: values.logLevel as (typeof LOG_LEVELS)[number] });
  let server: FleetcaServer;
  try {
    server = await startServer({
      env: io.env,
      host,
      port: values.port as number,
      tlsNames,
      regions,
      devAcceptAnyCredentials,
      logger,
      store: values.store as string | undefined,
      mqtt,
      dataEndpoint,
      publicBaseUrl,
      cluster,
      // --console-dir asks for the console whatever config.json says; --no-console refuses it.
      console: values.noConsole === true ? false : consoleDir !== undefined ? true : undefined,
      consoleDir,
      connectionGuard: {
        handshakeTimeoutMs: values.handshakeTimeoutMs as number | undefined,
        firstRequestTimeoutMs: values.firstRequestTimeoutMs as number | undefined,
        maxConnections: values.maxConnections as number | undefined,
        maxPending: values.maxPending as number | undefined,
        maxPendingPerAddress: values.maxPendingPerAddress as number | undefined,
      },
      timeouts:
        values.keepAliveTimeoutMs === undefined ? undefined : { keepAliveMs: values.keepAliveTimeoutMs as number },
      keygen: {
        poolSize: values.keyPoolSize as number | undefined,
        engine: values.keygenEngine as KeygenEngine | undefined,
        threads: values.keygenThreads as number | undefined,
      },
    });
  } catch (err) {
    throw err instanceof ServeError ? new GeneralError(err.message) : err;
  }
  // Listening for the signals before announcing the URL: whoever reads it may signal at once, and a signal
  // that arrives before a listener exists takes its default action (an immediate exit).
  const stopSignal = new Promise<string>((resolve) => {
    const onTerm = () => stop('SIGTERM');
    const onInt = () => stop('SIGINT');
    const stop = (name: string) => {
      signals.off('SIGTERM', onTerm).off('SIGINT', onInt);
      resolve(name);
    };
    signals.once('SIGTERM', onTerm).once('SIGINT', onInt);
  });
  io.stdout.write(`fleetca serve listening on ${server.url}\n`);
  if (server.mqttUrl) io.stdout.write(`fleetca serve devices connect to ${server.mqttUrl}\n`);
  logger.info(
    {
      url: server.url,
      mqttUrl: server.mqttUrl,
      consoleUrl: server.consoleUrl,
      tls: tlsNames !== undefined,
      regions: regions ? [...regions] : 'all',
    },
    'listening',
  );

  const signal = await stopSignal;
  logger.info({ signal, graceMs: SHUTDOWN_GRACE_MS }, 'shutting down');
  await server.close(SHUTDOWN_GRACE_MS);
  logger.info('stopped');
  return 0;
}

function dataEndpointOf(given: string | undefined): string | undefined {
  if (given === undefined) return undefined;
  try {
    checkServerNames([given]);
  } catch (err) {
    throw new ArgParseError(`argument --data-endpoint: ${(err as Error).message}`);
  }
  return given;
}

function publicBaseUrlOf(given: string | undefined): string | undefined {
  if (given === undefined) return undefined;
  try {
    checkPublicBaseUrl(given, 'the URL');
  } catch (err) {
    throw new ArgParseError(`argument --public-base-url: ${(err as Error).message}`);
  }
  return given;
}

/** `--cluster URL[,URL...]` and `--cluster-name NAME`: routing between replicas needs the device endpoint. */
function clusterOf(values: Record<string, unknown>, withDevices: boolean): ServeOptions['cluster'] {
  const servers = values.cluster as string | undefined;
  const name = values.clusterName as string | undefined;
  if (servers === undefined && name === undefined) return undefined;
  if (!withDevices) throw new ArgParseError('argument --cluster: not allowed with --no-mqtt');
  try {
    if (name !== undefined) checkClusterName(name, 'the name');
    return {
      ...(servers === undefined ? {} : { servers: parseClusterServers(servers, 'the servers') }),
      ...(name === undefined ? {} : { name }),
    };
  } catch (err) {
    const option = name !== undefined && (err as Error).message.startsWith('the name') ? '--cluster-name' : '--cluster';
    throw new ArgParseError(`argument ${option}: ${(err as Error).message}`);
  }
}

/** `--console-dir DIR` (relative to the working directory), which `--no-console` contradicts. */
function consoleDirOf(values: Record<string, unknown>): string | undefined {
  const dir = values.consoleDir as string | undefined;
  if (dir === undefined) return undefined;
  if (values.noConsole === true) throw new ArgParseError('argument --no-console: not allowed with --console-dir');
  if (dir === '') throw new ArgParseError('argument --console-dir: expected a directory');
  return resolve(dir);
}

function mqttOptions(values: Record<string, unknown>, host: string): MqttOptions | undefined {
  if (values.noMqtt === true) {
    if (values.mqttHost !== undefined || values.mqttHostname !== undefined) {
      throw new ArgParseError('argument --no-mqtt: not allowed with --mqtt-host or --mqtt-hostname');
    }
    return undefined;
  }
  const mqttHost = (values.mqttHost as string | undefined) ?? host;
  return {
    host: mqttHost,
    port: values.mqttPort as number,
    names: serverNames(values.mqttHostname as string | undefined, mqttHost, '--mqtt-hostname'),
    refusal: values.mqttRefusal as RefusalMode,
    ...(values.deviceAuthorization !== undefined
      ? { authorization: values.deviceAuthorization as DeviceAuthorization }
      : {}),
  };
}

/** The certificate's names: the ones given, or localhost, 127.0.0.1 and the listening host. */
function serverNames(given: string | undefined, host: string, option = '--tls-hostname'): string[] {
  const names =
    given === undefined
      ? ['localhost', '127.0.0.1', host]
      : given
          .split(',')
          .map((name) => name.trim())
          .filter((name) => name !== '');
  // A wildcard listening address is not a name anyone connects to.
  const unique = [...new Set(names)].filter((name) => !(isIP(name) && /^(0\.0\.0\.0|::)$/.test(name)));
  try {
    checkServerNames(unique);
  } catch (err) {
    throw new ArgParseError(`argument ${option}: ${(err as Error).message}`);
  }
  return unique;
}

function regionSet(text: string): Set<string> {
  const regions = text
    .split(',')
    .map((region) => region.trim())
    .filter((region) => region !== '');
  const bad = regions.find((region) => !REGION.test(region));
  if (regions.length === 0 || bad !== undefined) {
    throw new ArgParseError(
      `argument --regions: ${bad === undefined ? 'no region given' : `"${bad}" is not a region name`}`,
    );
  }
  return new Set(regions);
}
