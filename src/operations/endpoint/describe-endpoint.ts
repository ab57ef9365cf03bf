import { randomInt } from 'node:crypto';
import { partitionOf } from '../../domain/scope.js';
import { serviceErrors } from '../../errors.js';
import { DescribeEndpoint } from '../../model/endpoint.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';

export interface DescribeEndpointInput {
  readonly endpointType?: string;
}

/** Host name of each endpoint type, from the account's prefix, the region and the partition's DNS suffix. */
const HOSTS: Readonly<Record<string, (prefix: string, region: string, suffix: string) => string>> = {
  'iot:Data': (p, r, s) => `${p}.iot.${r}.${s}`,
  'iot:Data-ATS': (p, r, s) => `${p}-ats.iot.${r}.${s}`,
  'iot:CredentialProvider': (p, r, s) => `${p}.credentials.iot.${r}.${s}`,
  'iot:Jobs': (p, r, s) => `${p}.jobs.iot.${r}.${s}`,
};

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** An AWS-shaped endpoint prefix: 14 lowercase alphanumerics starting with `a` (65 random bits). */
export function newEndpointPrefix(): string {
  let prefix = 'a';
  while (prefix.length < 14) prefix += ALPHABET[randomInt(ALPHABET.length)];
  return prefix;
}

export const describeEndpoint = defineOperation({
  model: DescribeEndpoint,
  run,
  cli: {
    examples: [
      {
        title: 'To get the data endpoint of the account',
        description: 'Returns the host name devices connect to; ATS endpoints are the ones to use today.',
        command: 'fleetca iot describe-endpoint --endpoint-type iot:Data-ATS',
      },
    ],
  },
});

/**
 * The account's endpoint of the given type. Every type shares one prefix, created on the first call;
 * without a type the legacy iot:Data form is returned, as AWS documents. A server given `--data-endpoint` answers
 * that host for the data endpoint types instead.
 */
async function run(input: DescribeEndpointInput, ctx: OperationContext) {
  const type = input.endpointType ?? 'iot:Data';
  const host = Object.hasOwn(HOSTS, type) ? HOSTS[type] : undefined;
  if (!host) throw serviceErrors.invalidRequest(`Endpoint type ${type} not recognized.`);
  // Devices that discover their endpoint (DescribeEndpoint, then connect) are sent to fleetca's own.
  if (ctx.dataEndpoint && (type === 'iot:Data' || type === 'iot:Data-ATS'))
    return { endpointAddress: ctx.dataEndpoint };
  const prefix = await ctx.registry.scopeIdentifiers.getOrCreate(ctx.scope, 'endpoint-prefix', newEndpointPrefix);
  const suffix = partitionOf(ctx.scope.region) === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return { endpointAddress: host(prefix, ctx.scope.region, suffix) };
}
