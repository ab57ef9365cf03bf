/**
 * Bounds that keep a hostile template (or hostile request parameters) from exhausting the stack or memory.
 * The body limit is CreateProvisioningTemplate's own (templateBody, 10240 characters); the others are fleetca's.
 */
export const TEMPLATE_LIMITS = {
  /** Characters of a template body. */
  maxBodyLength: 10240,
  /** Nesting of JSON objects and arrays in a body; parsing recurses this deep, no deeper. */
  maxNestingDepth: 32,
  /** Conditions referring to conditions referring to ... (evaluation recurses along the chain). */
  maxConditionChain: 32,
  /** Characters of any one string a template resolves to. */
  maxStringLength: 65536,
  /** Values in any one list a template resolves to (Fn::Split). */
  maxListLength: 1024,
  /** Characters and list values produced in total while evaluating one request. */
  maxProducedSize: 1 << 20,
  /** Characters of a name (parameter, condition, mapping, resource, variable) — names end up in messages. */
  maxNameLength: 128,
} as const;
