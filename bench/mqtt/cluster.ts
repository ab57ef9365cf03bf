/** Whether this build's `fleetca serve` can join replicas (`--cluster nats://…`, being added on its own branch). */

import { fleetcaServeHasOption } from '../servers.js';

export function hasClusterOption(): Promise<boolean> {
  return fleetcaServeHasOption('--cluster');
}
