import type { OperationModel } from '../../model/shapes.js';
import type { CliOutfile } from '../../operations/operation.js';
import type { ArgumentTable } from '../argv/cli-argument.js';
import { addCliInputArguments } from './cli-input.js';
import { addGenerateSkeleton } from './generate-skeleton.js';
import { addOutfiles } from './outfiles.js';
import { unifyPagingParams } from './pagination.js';

/** Changes an operation's argument table (an awscli `building-argument-table` handler). */
export type Customization = (table: ArgumentTable, operation: OperationModel) => void;

/** Customizations every operation gets, in the AWS CLI's argument-table order. */
const GENERIC: readonly Customization[] = [addCliInputArguments, unifyPagingParams, addGenerateSkeleton];

/**
 * Applies the customizations of `operation` to its argument table, in the AWS CLI's order: the operation's own
 * first (botocore calls the handlers of the more specific event first; awscli's iot.py adds the outfiles, which
 * the operation declares as data: `outfiles`), then GENERIC.
 */
export function applyCustomizations(
  table: ArgumentTable,
  operation: OperationModel,
  outfiles: readonly CliOutfile[],
): void {
  addOutfiles(table, outfiles);
  for (const customize of GENERIC) customize(table, operation);
}
