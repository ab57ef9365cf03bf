import { compilePolicy } from '../../domain/policies/authorizer.js';
import { serviceErrors } from '../../errors.js';

/** The documented limit of a policy document: 2048 characters, whitespace not counted (reference §1.1, §6.1). */
export const MAX_POLICY_DOCUMENT_CHARACTERS = 2048;

/**
 * Refuses a document CreatePolicy or CreatePolicyVersion may not store: empty or over the documented size, or not a
 * valid policy (compilePolicy's verdict, MalformedPolicyException). Which exception AWS gives an oversized document
 * is not documented (§6.1); it is a document AWS will not take, so it is refused as malformed.
 */
export function checkPolicyDocument(policyName: string, versionId: string, document: string): void {
  const counted = [...document.replace(/\s/g, '')].length;
  if (counted === 0) throw serviceErrors.malformedPolicy('Policy document is empty');
  if (counted > MAX_POLICY_DOCUMENT_CHARACTERS) {
    throw serviceErrors.malformedPolicy(
      `Policy document is too long: ${counted} characters without whitespace, at most ` +
        `${MAX_POLICY_DOCUMENT_CHARACTERS} are allowed`,
    );
  }
  compilePolicy(policyName, versionId, document);
}
