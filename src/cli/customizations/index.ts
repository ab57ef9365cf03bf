import type { OperationModel } from '../../model/shapes.js';
import type { ArgumentTable } from '../argv/cli-argument.js';
import { addCliInputArguments } from './cli-input.js';
import { addGenerateSkeleton } from './generate-skeleton.js';
import { addOutfiles } from './outfiles.js';
import { unifyPagingParams } from './pagination.js';

/** Changes an operation's argument table (an awscli `building-argument-table` handler). */
export type Customization = (table: ArgumentTable, operation: OperationModel) => void;

/**
 * The AWS CLI's own customizations of specific operations, by model operation name. They run
 * first (botocore calls the handlers of the more specific event first), then GENERIC.
 */
const BY_OPERATION: Readonly<Record<string, readonly Customization[]>> = {
  // awscli/customizations/iot.py
  CreateKeysAndCertificate: [
    (table) =>
      addOutfiles(table, [
        { name: 'certificate-pem-outfile', query: 'certificatePem', mode: 0o600 },
        { name: 'public-key-outfile', query: 'keyPair.PublicKey', mode: 0o600 },
        { name: 'private-key-outfile', query: 'keyPair.PrivateKey', mode: 0o600 },
      ]),
  ],
  CreateCertificateFromCsr: [
    (table) => addOutfiles(table, [{ name: 'certificate-pem-outfile', query: 'certificatePem', mode: 0o600 }]),
  ],
};

/** Customizations every operation gets, in the AWS CLI's argument-table order. */
const GENERIC: readonly Customization[] = [addCliInputArguments, unifyPagingParams, addGenerateSkeleton];

/** Applies the customizations of `operation` to its argument table, in the AWS CLI's order. */
export function applyCustomizations(table: ArgumentTable, operation: OperationModel): void {
  for (const customize of BY_OPERATION[operation.name] ?? []) customize(table, operation);
  for (const customize of GENERIC) customize(table, operation);
}
