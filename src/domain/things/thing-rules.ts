import { serviceErrors } from '../../errors.js';
import type { ThingRecord } from './thing-record.js';

/**
 * The rules of the thing registry, run by the store inside its transaction. Messages are AWS's where known
 * (deleting a thing that has principals, a version conflict).
 */

/** What an attach or detach rule decides on, read in the transaction that writes. */
export interface ThingPrincipalState {
  readonly thing: ThingRecord | undefined;
  readonly certificateExists: boolean;
  /** Whether the certificate is attached to this thing now. */
  readonly attached: boolean;
  /** How many other things the certificate is attached to. */
  readonly otherThings: number;
}

/**
 * Decides an attachment or detachment; throws to refuse. It must refuse a thing or certificate that does not
 * exist: the store will not write an attachment to something absent.
 */
export type ThingPrincipalRule = (state: ThingPrincipalState) => void;

/** Decides whether a thing may be deleted, given how many principals are attached to it; throws to refuse. */
export type ThingDeleteRule = (current: ThingRecord | undefined, principals: number) => void;

/** DeleteThing: a missing thing is not an error (AWS says so); a wrong version or attached principals are. */
export function thingDeletionRule(thingName: string, expectedVersion: number | undefined): ThingDeleteRule {
  return (current, principals) => {
    if (current === undefined) return;
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw serviceErrors.versionConflict(`The version for thing ${thingName} does not match the expected version.`);
    }
    // Since 2019 AWS refuses rather than detaching the principals itself.
    if (principals > 0) {
      throw serviceErrors.invalidRequest(
        `Cannot delete. Thing ${thingName} is still attached to one or more principals`,
      );
    }
  };
}

/** Both ends must exist; an EXCLUSIVE_THING attachment also needs the certificate to be on no other thing. */
export function thingAttachRule(exclusive: boolean, principalArn: string, thingName: string): ThingPrincipalRule {
  return (state) => {
    bothExist(state.thing !== undefined, state.certificateExists);
    if (exclusive && state.otherThings > 0) {
      throw serviceErrors.invalidRequest(
        `Principal ${principalArn} is attached to other things and cannot be attached exclusively to ${thingName}`,
      );
    }
  };
}

/** Both ends must exist; detaching a certificate that is not attached changes nothing and is not an error. */
export function thingDetachRule(): ThingPrincipalRule {
  return (state) => bothExist(state.thing !== undefined, state.certificateExists);
}

function bothExist(thing: boolean, certificate: boolean): void {
  if (!thing || !certificate) throw serviceErrors.notFound();
}
