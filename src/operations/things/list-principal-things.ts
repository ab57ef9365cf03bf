import { serviceErrors } from '../../errors.js';
import { ListPrincipalThings } from '../../model/things.js';
import { EXAMPLE_CERTIFICATE_ARN } from '../cli-example-values.js';
import type { OperationContext } from '../context.js';
import { defineOperation } from '../operation.js';
import { encodeThingToken, keyPageQuery } from './thing-list-token.js';
import { certificateIdOfPrincipal } from './thing-principal.js';

export interface ListPrincipalThingsInput {
  readonly principal: string;
  readonly nextToken?: string;
  readonly maxResults?: number;
}

export const listPrincipalThings = defineOperation({
  model: ListPrincipalThings,
  run,
  cli: {
    examples: [
      {
        title: 'To list the things a certificate is attached to',
        description: 'Prints the thing names, in name order.',
        command: `fleetca iot list-principal-things --principal ${EXAMPLE_CERTIFICATE_ARN} --output text`,
      },
    ],
  },
});

/** The names of the things a certificate of the caller's is attached to, by name. */
async function run(input: ListPrincipalThingsInput, ctx: OperationContext) {
  const certificateId = certificateIdOfPrincipal(input.principal, ctx.scope);
  const page = await ctx.registry.things.listPrincipalThings(
    ctx.scope,
    certificateId,
    keyPageQuery('principal-things', input),
  );
  if (!page) throw serviceErrors.notFound();
  return {
    things: page.keys,
    nextToken: page.next && encodeThingToken('principal-things', page.next),
  };
}
