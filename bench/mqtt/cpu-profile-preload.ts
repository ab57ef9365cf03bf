/**
 * Loaded into a server under test with NODE_OPTIONS=--import (which refuses --cpu-prof): profiles the main
 * thread with V8's sampling profiler from start to exit and writes FLEETCA_BENCH_CPU_PROFILE_DIR/<pid>.cpuprofile,
 * the format `node --cpu-prof` writes.
 */

import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.FLEETCA_BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  // The in-process session answers synchronously, so an exit handler can still collect the profile.
  process.on('exit', () => {
    session.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(join(dir, `fleetca-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
