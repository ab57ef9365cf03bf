import type { MappingTable } from './parsed-template.js';

/** What expression parsing needs to know of the rest of the template, to refuse references to nothing. */
export interface ParseContext {
  readonly mappings: ReadonlyMap<string, MappingTable>;
  readonly conditionNames: ReadonlySet<string>;
}
