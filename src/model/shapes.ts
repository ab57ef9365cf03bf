import type { FailureNames, ServiceErrorCode } from '../errors.js';

/**
 * The AWS IoT API described as data, the way botocore's service model does it.
 * Routing, CLI arguments, validation and output ordering are all derived from these
 * definitions, so an operation's contract is written down exactly once.
 */

export interface StringShape {
  readonly type: 'string';
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  /** Never logged (botocore's `sensitive`). */
  readonly sensitive?: boolean;
}

export interface IntegerShape {
  readonly type: 'integer';
  readonly min?: number;
  readonly max?: number;
}

export interface BooleanShape {
  readonly type: 'boolean';
}

/** Epoch milliseconds inside fleetca; each door renders it in its own wire format. */
export interface TimestampShape {
  readonly type: 'timestamp';
}

export interface ListShape {
  readonly type: 'list';
  readonly member: Shape;
  /** Fewest and most items (TestAuthorization's authInfos: 1 to 10). */
  readonly min?: number;
  readonly max?: number;
}

export interface StructureShape {
  readonly type: 'structure';
  /** Members in service-model order: the order the AWS CLI prints them in. */
  readonly members: Readonly<Record<string, Member>>;
  readonly required?: readonly string[];
}

/** botocore's `map`: string keys (checked against `key`), each value of shape `value` (thing attributes). */
export interface MapShape {
  readonly type: 'map';
  readonly key: StringShape;
  readonly value: Shape;
  /** Most entries (RegisterThing's parameters); no IoT REST map has a limit. */
  readonly max?: number;
}

export type Shape = StringShape | IntegerShape | BooleanShape | TimestampShape | ListShape | StructureShape | MapShape;

/** `topic`: a level of an MQTT request topic (RegisterThing's templateName); the REST door binds none. */
export type MemberLocation = 'uri' | 'querystring' | 'header' | 'topic';

export interface Member {
  readonly shape: Shape;
  /** Where the member travels in a rest-json request; absent means the JSON body. */
  readonly location?: MemberLocation;
  /** Wire name when it differs from the member name (ascendingOrder → isAscendingOrder). */
  readonly locationName?: string;
  readonly documentation: string;
}

export interface Paginator {
  readonly inputToken: string;
  readonly outputToken: string;
  readonly limitKey: string;
  readonly resultKey: string;
  /** Members kept from the first page when the CLI joins the pages (botocore's `non_aggregate_keys`). */
  readonly nonAggregateKeys?: readonly string[];
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export interface HttpRoute {
  readonly method: HttpMethod;
  readonly requestUri: string;
}

export interface OperationModel {
  readonly name: string;
  /** The REST route; absent for operations no REST route reaches (the device door's, the admin commands'). */
  readonly http?: HttpRoute;
  readonly input: StructureShape;
  readonly output?: StructureShape;
  readonly errors: readonly string[];
  readonly paginator?: Paginator;
  readonly documentation: string;
  /**
   * How input the model does not allow is refused. Absent: as the AWS IoT REST API does, every violation in one
   * InvalidRequestException (validate-input.ts). Present (the MQTT fleet-provisioning API): the first member that
   * fails a check, in model order, is refused with that member's own code and message (input-refusal.ts).
   */
  readonly inputRefusals?: Readonly<Record<string, InputRefusal>>;
  /** The API's names for internal, unavailable and throttled failures; absent: the AWS IoT REST API's. */
  readonly failures?: FailureNames;
}

/**
 * A check of a member's value. `required`: absent; `type`: not of the shape's type; `enum`, `pattern`, `min`,
 * `max`: the shape's constraints (a string's length, a map's number of entries); `entry.*`: a map entry's key or
 * value failing the same checks.
 */
export type MemberCheck =
  | 'required'
  | 'type'
  | 'enum'
  | 'pattern'
  | 'min'
  | 'max'
  | 'entry.type'
  | 'entry.enum'
  | 'entry.pattern'
  | 'entry.min'
  | 'entry.max';

/**
 * How one member's failed check is answered: the code, and a message per check (`otherwise` for the checks not
 * listed). Messages may name `{min}` and `{max}` of the shape checked and `{key}`, the failing map entry's name.
 */
export interface InputRefusal {
  readonly code: ServiceErrorCode;
  readonly messages?: Readonly<Partial<Record<MemberCheck, string>>>;
  readonly otherwise: string;
}

/** The operation's REST route; an operation without one cannot be sent over HTTP. */
export function restRoute(operation: OperationModel): HttpRoute {
  if (!operation.http) throw new Error(`${operation.name} has no REST route`);
  return operation.http;
}

/** An operation of the AWS IoT REST API: the REST door routes it, the CLI's remote mode sends it. */
export type RestOperationModel = OperationModel & { readonly http: HttpRoute };

export function structure(members: Record<string, Member>, required: readonly string[] = []): StructureShape {
  return { type: 'structure', members, required };
}

export function member(shape: Shape, documentation: string, wire?: Omit<Member, 'shape' | 'documentation'>): Member {
  return { shape, documentation, ...wire };
}

/** Wire name of a member (query-string key, URI label or JSON key). */
export function wireName(name: string, m: Member): string {
  return m.locationName ?? name;
}
