import type { OperationModel } from '../../model/shapes.js';
import { pyRepr } from '../python/repr.js';
import type { Transport } from '../transport.js';
import { debugEnabled, debugLog } from './debug-log.js';

/**
 * With `--debug`, logs each call a transport makes and what it returned, like botocore's
 * `Making request for OperationModel(...)` and its parsed-response line. In local mode this is
 * the in-process call; in remote mode the HTTP transport adds the wire-level lines. Without
 * `--debug` the transport is returned unchanged.
 */
export function withDebugLogging(transport: Transport, mode: 'local' | 'remote'): Transport {
  if (!debugEnabled()) return transport;
  return {
    async call(operation: OperationModel, params: Readonly<Record<string, unknown>>) {
      debugLog(
        'fleetca.endpoint',
        () =>
          `Making request for OperationModel(name=${operation.name}) with params: ${pyRepr(params)}` +
          (mode === 'local' ? ' (in-process call on the local data directory)' : ''),
      );
      try {
        const result = await transport.call(operation, params);
        debugLog('fleetca.parsers', () => `Response: ${pyRepr(result)}`);
        return result;
      } catch (error) {
        const name = error instanceof Error ? error.name : typeof error;
        const message = error instanceof Error ? error.message : String(error);
        debugLog('fleetca.endpoint', `${operation.name} failed: ${name}: ${message}`);
        throw error;
      }
    },
    close: () => transport.close(),
  };
}
