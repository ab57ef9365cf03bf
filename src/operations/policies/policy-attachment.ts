import { policyAttachRule, policyDetachRule } from '../../domain/policies/policy-lifecycle.js';
import type { OperationContext } from '../context.js';
import { certificateIdOfTarget } from './policy-target.js';

/**
 * AttachPolicy and AttachPrincipalPolicy: the target names a certificate of the caller's; the rule wants both the
 * policy and the certificate, and refuses an eleventh policy on one certificate (LimitExceededException).
 */
export async function attachPolicyTo(ctx: OperationContext, policyName: string, target: string): Promise<void> {
  const certificateId = certificateIdOfTarget(target, ctx.scope);
  await ctx.registry.policies.attachPolicy(ctx.scope, policyName, certificateId, policyAttachRule());
}

/** DetachPolicy and DetachPrincipalPolicy: detaching what is not attached changes nothing (the rule's reasons). */
export async function detachPolicyFrom(ctx: OperationContext, policyName: string, target: string): Promise<void> {
  const certificateId = certificateIdOfTarget(target, ctx.scope);
  await ctx.registry.policies.detachPolicy(ctx.scope, policyName, certificateId, policyDetachRule());
}

/** Every name a keyset listing yields, read page after page (the deprecated listings' descending order). */
export async function readAllNames(
  page: (after: string | undefined) => Promise<{ names: readonly string[]; next?: string } | undefined>,
): Promise<string[] | undefined> {
  const names: string[] = [];
  let after: string | undefined;
  do {
    const read = await page(after);
    if (!read) return undefined;
    names.push(...read.names);
    after = read.next;
  } while (after !== undefined);
  return names;
}

/** One page of `names` (sorted ascending) in the order asked, after `after` in that order. */
export function pageOfNames(
  names: readonly string[],
  query: { readonly limit: number; readonly after?: string; readonly ascending: boolean },
): { names: string[]; next?: string } {
  const ordered = query.ascending ? [...names] : [...names].reverse();
  const { after } = query;
  const rest =
    after === undefined ? ordered : ordered.filter((name) => (query.ascending ? name > after : name < after));
  const page = rest.slice(0, query.limit);
  const last = page[page.length - 1];
  return { names: page, ...(rest.length > page.length && last !== undefined && { next: last }) };
}
