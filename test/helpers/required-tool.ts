import { spawnSync } from 'node:child_process';

/** A program a suite drives: how to see that it runs, and how to install it. */
export interface Tool {
  /** What it is, for the message. */
  readonly name: string;
  readonly command: string;
  readonly probe: readonly string[];
  /** What the probe's output must start with, when the suite needs one major version. */
  readonly version?: RegExp;
  /** The command that installs it. */
  readonly install: string;
}

/** The programs the suites drive, and how a machine of the README's kind (Debian 12) gets each. */
export const TOOLS = {
  awsV1: {
    name: 'The AWS CLI v1',
    command: 'aws',
    probe: ['--version'],
    version: /^aws-cli\/1\./,
    install: "pip install awscli (it must come before Debian's v2 on PATH)",
  },
  awsV2: {
    name: "Debian's AWS CLI v2",
    command: '/usr/bin/aws',
    probe: ['--version'],
    install: 'apt-get install awscli',
  },
  tmux: { name: 'tmux', command: 'tmux', probe: ['-V'], install: 'apt-get install tmux' },
} as const satisfies Record<string, Tool>;

/** Tools already found to run, so a suite probes each once per process. */
const found = new Set<string>();

/**
 * Throws when `tool` cannot run, saying how to install it: the suites that drive it fail rather than skip, so a
 * machine without it never reports green. Call it in a `before` hook (the suite's tests then fail) or a test.
 */
export function requireTool(tool: Tool): void {
  if (found.has(tool.command)) return;
  const probe = spawnSync(tool.command, tool.probe, {
    encoding: 'utf8',
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' },
  });
  const output = `${probe.stdout}${probe.stderr}`.trim();
  const why =
    probe.error?.message ??
    (probe.status !== 0 ? output || `exit ${probe.status}` : undefined) ??
    (tool.version && !tool.version.test(output) ? `found ${output}` : undefined);
  if (why !== undefined)
    throw new Error(
      `${tool.name} (${tool.command}) is required by this suite and is not usable here (${why}). ` +
        `Install it with: ${tool.install}`,
    );
  found.add(tool.command);
}
