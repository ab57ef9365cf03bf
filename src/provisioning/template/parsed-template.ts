import type { ConditionExpression, Expression } from './expression.js';

/** A provisioning template checked by `parseTemplate`; read by `evaluateTemplate`. */
export interface ParsedTemplate {
  readonly parameters: ReadonlyMap<string, ParameterDeclaration>;
  readonly mappings: ReadonlyMap<string, MappingTable>;
  readonly conditions: ReadonlyMap<string, ConditionExpression>;
  readonly thing?: ThingResource;
  readonly certificate?: CertificateResource;
  /** In template order. */
  readonly policies: readonly PolicyResource[];
  /** In template order. */
  readonly deviceConfiguration: readonly (readonly [string, Expression])[];
}

export interface ParameterDeclaration {
  readonly defaultValue?: string;
}

/** Fn::FindInMap's two levels of keys; values are strings, numbers, booleans or lists of them. */
export type MappingTable = ReadonlyMap<string, ReadonlyMap<string, MappingValue>>;
export type MappingValue = string | number | boolean | readonly (string | number | boolean)[];

export type OverrideAction = 'DO_NOTHING' | 'REPLACE' | 'FAIL' | 'MERGE';

interface ResourceBase {
  readonly logicalId: string;
  /** The condition that must hold for the resource to be provisioned. */
  readonly condition?: string;
}

export interface ThingResource extends ResourceBase {
  readonly thingName: Expression;
  readonly attributePayload?: readonly (readonly [string, Expression])[];
  readonly thingTypeName?: Expression;
  readonly thingGroups?: Expression;
  readonly billingGroup?: Expression;
  readonly overrideSettings: {
    readonly attributePayload?: OverrideAction;
    readonly thingTypeName?: Exclude<OverrideAction, 'MERGE'>;
    readonly thingGroups?: OverrideAction;
  };
}

export interface CertificateResource extends ResourceBase {
  readonly certificateId: Expression;
  /** Absent: ACTIVE, the documented default. */
  readonly status?: Expression;
}

/** Exactly one of the two, as the documentation requires. */
export interface PolicyResource extends ResourceBase {
  readonly policyName?: Expression;
  readonly policyDocument?: Expression;
}
