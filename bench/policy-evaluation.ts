// biome-ignore-all lint/suspicious/noTemplateCurlyInString: policy variables are written ${name}, not JavaScript templates
/**
 * `npm run build && node dist/bench/policy-evaluation.js`: microseconds per authorization decision for one device
 * — the cached `allows` path (a repeated topic), the uncached path (a fresh topic each time, so every call walks
 * the statements), `decide` with its full explanation, and binding an Authorizer to a principal (what each
 * connection pays once). The policy is AWS's thing-policy shape: three statements with variables and a condition.
 */

import { Authorizer } from '../src/domain/policies/authorizer.js';
import { compilePolicy, resourceArn } from '../src/domain/policies/compiled-policy.js';

const scope = { accountId: '123456789012', region: 'us-east-1' };
const arn = 'arn:aws:iot:us-east-1:123456789012:';
const policy = compilePolicy(
  'thing-policy',
  '1',
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'iot:Connect',
        Resource: `${arn}client/\${iot:Connection.Thing.ThingName}`,
        Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } },
      },
      {
        Effect: 'Allow',
        Action: ['iot:Publish', 'iot:Receive'],
        Resource: [`${arn}topic/devices/\${iot:ClientId}/*`, `${arn}topic/\${iot:Certificate.Subject.Organization}/*`],
      },
      { Effect: 'Deny', Action: 'iot:Publish', Resource: `${arn}topic/devices/\${iot:ClientId}/secret/*` },
    ],
  }),
);
const facts = {
  scope,
  clientId: 'device-0042',
  thing: { thingName: 'device-0042', attributes: {} },
  certificate: new Map([['Subject.Organization', ['Example Corp']]]),
};

/** Runs `body` `count` times after a warm-up; microseconds per call, best of five rounds. */
function measure(count: number, body: (index: number) => void): number {
  for (let index = 0; index < count; index++) body(index);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const started = process.hrtime.bigint();
    for (let index = 0; index < count; index++) body(index);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1000 / count);
  }
  return best;
}

const authorizer = new Authorizer([policy], facts, { cacheSize: 1024 });
const topics = Array.from({ length: 100_000 }, (_, index) =>
  resourceArn(scope, 'topic', `devices/device-0042/t/${index}`),
);
const repeated = { action: 'iot:Publish' as const, resource: topics[0] as string };
let sink = 0;

const cached = measure(1_000_000, () => {
  if (authorizer.allows(repeated)) sink++;
});
const uncachedAuthorizer = new Authorizer([policy], facts, { cacheSize: 1 });
const uncached = measure(topics.length, (index) => {
  if (uncachedAuthorizer.allows({ action: 'iot:Publish', resource: topics[index] as string })) sink++;
});
const explained = measure(topics.length, (index) => {
  if (authorizer.decide({ action: 'iot:Publish', resource: topics[index] as string }).decision === 'ALLOWED') sink++;
});
let bound = authorizer;
const binding = measure(20_000, () => {
  bound = new Authorizer([policy], facts);
});

const rows: Array<[string, number]> = [
  ['allows, cached (same topic)', cached],
  ['allows, uncached (new topic each call)', uncached],
  ['decide, with explanation', explained],
  ['new Authorizer (per connection)', binding],
];
process.stdout.write(`policy evaluation on Node ${process.version}, 3 statements with variables\n`);
for (const [name, micros] of rows) process.stdout.write(`  ${name.padEnd(40)} ${micros.toFixed(3)} µs\n`);
if (sink === 0 || bound === authorizer) process.stdout.write('(no decision was positive)\n');
