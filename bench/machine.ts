/** What the figures were measured on: CPU, memory, kernel, and the versions of both servers' crypto stacks. */

import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { availableParallelism, release, totalmem } from 'node:os';
import { promisify } from 'node:util';
import type { MachineInfo } from './results.js';

const execFileAsync = promisify(execFile);

const PYTHON_VERSIONS = [
  'import sys, moto, cryptography',
  'from cryptography.hazmat.backends.openssl.backend import backend',
  'print(moto.__version__)',
  'print(f"Python {sys.version.split()[0]}, cryptography {cryptography.__version__} ({backend.openssl_version_text()})")',
].join('\n');

async function cpuModel(): Promise<string> {
  try {
    const cpuinfo = await readFile('/proc/cpuinfo', 'utf8');
    return /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown CPU';
  } catch {
    return 'unknown CPU';
  }
}

async function pythonSide(): Promise<{ moto: string; python: string }> {
  try {
    const { stdout } = await execFileAsync('python3', ['-c', PYTHON_VERSIONS], {
      env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
    });
    const [moto = 'unknown', python = 'unknown Python'] = stdout.trim().split('\n');
    return { moto, python };
  } catch (err) {
    return { moto: 'unknown', python: `Python versions unavailable (${(err as Error).message.split('\n')[0]})` };
  }
}

export async function describeMachine(): Promise<MachineInfo> {
  const [model, python] = await Promise.all([cpuModel(), pythonSide()]);
  return {
    cpuModel: model,
    cores: availableParallelism(),
    memoryGiB: totalmem() / 2 ** 30,
    kernel: release(),
    node: process.version,
    openssl: process.versions.openssl ?? 'unknown',
    moto: python.moto,
    python: python.python,
  };
}
