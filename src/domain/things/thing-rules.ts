import { serviceErrors } from '../../errors.js';
import type { ThingDeleteRule, ThingPrincipalRule } from '../../registry/thing-store.js';

/**
 * The rules of the thing registry, run by the store inside its transaction. Messages are AWS's where known
 * (deleting a thing that has principals, a version conflict).
 */

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
