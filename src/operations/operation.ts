import type { OperationModel } from '../model/shapes.js';
import type { OperationContext } from './context.js';

/** A file the AWS CLI writes from a member of the response (`--certificate-pem-outfile`, awscli's iot.py). */
export interface CliOutfile {
  readonly name: string;
  /** JMESPath-like dotted path of the member written (`keyPair.PrivateKey`). */
  readonly query: string;
  readonly mode: number;
}

/** One example of the operation's help page; `fleetca` in the command is the program name. */
export interface CliExample {
  readonly title: string;
  readonly description: string;
  readonly command: string;
  readonly output?: string;
}

/** What the CLI door adds to an operation, as data: the CLI interprets it, the operation never calls the CLI. */
export interface CliAdditions {
  readonly outfiles?: readonly CliOutfile[];
  readonly examples?: readonly CliExample[];
}

/**
 * One operation as one unit: its contract (the model: members, limits, route, errors), what it does, and the
 * CLI's additions. Every table a door needs (routes, handlers, argument tables, help examples) is derived
 * from the list of these in `catalog.ts`. `M` narrows the model (RestOperationModel for the IoT API, whose
 * operations every door can route).
 */
export interface Operation<I = never, O = unknown, M extends OperationModel = OperationModel> {
  readonly model: M;
  /** Runs after the input was validated against `model.input`. */
  readonly run: (input: I, ctx: OperationContext) => Promise<O>;
  readonly cli?: CliAdditions;
}

/** Declares an operation; the input type is the handler's own, checked against the model before `run`. */
export function defineOperation<I, O, M extends OperationModel>(operation: Operation<I, O, M>): Operation<I, O, M> {
  return operation;
}
