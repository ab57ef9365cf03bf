/**
 * CPU accounting from /proc: a process tree's user+system time (all its threads, so fleetca's key-generation
 * workers count), the whole machine's busy time, and this benchmark client's own usage.
 */

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second, the unit of /proc's CPU times (100 almost everywhere). */
const CLOCK_TICKS = readClockTicks();

function readClockTicks(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

interface ProcStat {
  readonly ppid: number;
  readonly cpuTicks: number;
}

/** utime + stime (+ the reaped children's cutime + cstime) of one process; undefined once it is gone. */
function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may itself contain spaces or parentheses: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17.
  const numberAt = (field: number) => Number(fields[field - 3]);
  return { ppid: numberAt(4), cpuTicks: numberAt(14) + numberAt(15) + numberAt(16) + numberAt(17) };
}

/** The process and all its descendants (moto may be started through a launcher that forks). */
function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (!stat) continue;
    children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop() as number;
    tree.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** CPU seconds used so far by a process and its descendants. */
export function processTreeCpuSeconds(rootPid: number): number {
  const ticks = processTree(rootPid).reduce((sum, pid) => sum + (readProcStat(pid)?.cpuTicks ?? 0), 0);
  return ticks / CLOCK_TICKS;
}

/**
 * CPU seconds the whole machine spent busy, summed over all cores: user, nice, system, irq and softirq. Not idle or
 * iowait, and not steal (time the hypervisor gave to other guests, which this VM did not get to use).
 */
export function machineBusyCpuSeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal [guest guest_nice, already counted in user and nice]
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = values;
  return (user + nice + system + irq + softirq) / CLOCK_TICKS;
}

/** This process's CPU seconds (user + system), all threads. */
export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

export interface CpuReading {
  readonly server: number;
  readonly machine: number;
  readonly client: number;
}

/** A snapshot to subtract from a later one: CPU seconds of the server's tree, the machine and this client. */
export function readCpu(serverPid: number): CpuReading {
  return { server: processTreeCpuSeconds(serverPid), machine: machineBusyCpuSeconds(), client: ownCpuSeconds() };
}

export function cpuSince(before: CpuReading, serverPid: number): CpuReading {
  const now = readCpu(serverPid);
  return {
    server: now.server - before.server,
    machine: now.machine - before.machine,
    client: now.client - before.client,
  };
}
