/**
 * One timed run of a command line for the start-up bench: wall time from spawn to exit and the CPU time (user +
 * system) of the process and the children it waited for, both from the kernel's accounting of that one process.
 * Node cannot read a child's rusage, so a small Python program spawns the command and reports wait4's figures; its
 * own start-up happens before the clock starts and is not counted.
 */
import { execFile } from 'node:child_process';

const TIMER = `
import os, sys, time, json
out = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
start = time.perf_counter()
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], dict(os.environ), file_actions=[(os.POSIX_SPAWN_DUP2, out, 1)])
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
print(json.dumps({"wallMs": wall * 1000, "cpuMs": (usage.ru_utime + usage.ru_stime) * 1000,
                  "exitCode": os.waitstatus_to_exitcode(status)}))
`;

export interface TimedRun {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly exitCode: number;
}

/**
 * Runs `command` (an absolute executable path, then its arguments) with `env`, its stdout written to
 * `stdoutFile`, and resolves to its timings. `python` is the interpreter that runs the timer.
 */
export function timeCommand(
  python: string,
  command: readonly string[],
  env: NodeJS.ProcessEnv,
  stdoutFile: string,
): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    // Asynchronous on purpose: the describe's stub server answers from this process's event loop meanwhile.
    execFile(python, ['-c', TIMER, stdoutFile, ...command], { env, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`timer failed for ${command.join(' ')}: ${error.message}\n${stderr}`));
        return;
      }
      resolve(JSON.parse(stdout) as TimedRun);
    });
  });
}
