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
}

export type Shape = StringShape | IntegerShape | BooleanShape | TimestampShape | ListShape | StructureShape | MapShape;

export type MemberLocation = 'uri' | 'querystring' | 'header';

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
