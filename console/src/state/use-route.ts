/** The current hash route, following `hashchange`. */
import { useEffect, useState } from 'preact/hooks';
import { parseRoute, type Route } from '../lib/route.js';

export function useRoute(): { route: Route; hash: string } {
  const [hash, setHash] = useState(() => location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return { route: parseRoute(hash), hash };
}
