/** A store whose every member is a method returning a promise, as every store interface of the registry is. */
export type AsyncStore<T> = { readonly [K in keyof T]: (...args: never[]) => Promise<unknown> };

/**
 * A store that is made on its first call: `make` imports the store's code and builds it then. Start-up cost is
 * per module loaded on Node 20, and a one-shot command touches one or two stores of the registry's nine, so it
 * need not load (nor prepare the statements of) the others. Every method already returns a promise, so callers
 * cannot tell the difference; concurrent first calls share one `make`, and a failed one is forgotten (retried).
 */
export function storeOnFirstUse<T extends AsyncStore<T>>(make: () => Promise<T>): T {
  let making: Promise<T> | undefined;
  const made = (): Promise<T> => {
    making ??= make().catch((error: unknown) => {
      making = undefined;
      throw error;
    });
    return making;
  };
  const methods = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  return new Proxy({} as T, {
    get(_target, name) {
      // `then` stays undefined, or `await store` would take the store for a promise.
      if (typeof name !== 'string' || name === 'then') return undefined;
      let method = methods.get(name);
      if (method === undefined) {
        method = async (...args: unknown[]) => {
          const store = (await made()) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
          const method = store[name];
          if (typeof method !== 'function') throw new TypeError(`store.${name} is not a function`);
          return method.apply(store, args);
        };
        methods.set(name, method);
      }
      return method;
    },
  });
}
