/** Loads data for a view: loading, the result or the error, and a reload; late answers of old loads are dropped. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface AsyncState<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  readonly reload: () => void;
}

export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): AsyncState<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  // The caller lists what the load depends on (`deps`); `generation` is bumped by reload.
  useEffect(() => {
    const run = ++latest.current;
    setState((previous) => ({ data: previous.data, error: undefined, loading: true }));
    load().then(
      (data) => {
        if (run === latest.current) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (run === latest.current) setState({ data: undefined, error, loading: false });
      },
    );
    return () => {
      // A newer load (or leaving the view) makes this one's answer stale.
      if (run === latest.current) latest.current += 1;
    };
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, reload };
}
