import { serviceErrors } from '../errors.js';
import type { OperationContext } from './context.js';
import { encodeThingToken, keyPageQuery } from './thing-list-token.js';
import { certificateIdOfPrincipal } from './thing-principal.js';

export interface ListPrincipalThingsInput {
  readonly principal: string;
  readonly nextToken?: string;
  readonly maxResults?: number;
}

/** The names of the things a certificate of the caller's is attached to, by name. */
export async function listPrincipalThings(input: ListPrincipalThingsInput, ctx: OperationContext) {
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
