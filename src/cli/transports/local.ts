import { type Home, openHome } from '../../home/open-home.js';
import { invokeOperation } from '../../operations/index.js';
import type { Transport, TransportOptions } from '../transport.js';

/** Runs operations in-process on the data directory: the offline, zero-set-up mode. */
export async function openLocalTransport(options: TransportOptions): Promise<Transport> {
  const home: Home = await openHome(options.env ?? process.env, { store: options.store, onNote: options.onNote });
  const ctx = home.context(home.defaultScope(options.region));
  return {
    // In-process, the real cause (a locked or full disk, say) helps more than InternalFailureException.
    call: (operation, params) =>
      invokeOperation(operation, params, ctx, (err) => {
        throw err;
      }),
    close: () => home.close(),
  };
}
