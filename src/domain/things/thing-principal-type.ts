/** How a principal is attached to a thing: EXCLUSIVE_THING allows no other thing for that principal. */
export const THING_PRINCIPAL_TYPES = ['EXCLUSIVE_THING', 'NON_EXCLUSIVE_THING'] as const;
export type ThingPrincipalType = (typeof THING_PRINCIPAL_TYPES)[number];
