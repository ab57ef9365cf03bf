import { partitionOf, type Scope } from '../scope.js';

/**
 * What the registry keeps about one AWS IoT policy (CreatePolicy ...): its name and which version is the default.
 * The documents are kept per version. Dates are epoch milliseconds.
 */
export interface PolicyRecord extends Scope {
  readonly policyName: string;
  /** Decimal text, as AWS numbers versions: "1", "2", ... never reused within a policy. */
  readonly defaultVersionId: string;
  readonly creationDate: number;
  readonly lastModifiedDate: number;
  /** Changes whenever the policy (its default version) changes. */
  readonly generationId: string;
}

/** One version of a policy's document. */
export interface PolicyVersionRecord extends Scope {
  readonly policyName: string;
  readonly versionId: string;
  /** The document exactly as it was given (AWS returns it unchanged). */
  readonly document: string;
  readonly isDefaultVersion: boolean;
  readonly creationDate: number;
}

/** A policy's default document, as the device door and GetEffectivePolicies read it. */
export interface EffectivePolicy {
  readonly policyName: string;
  readonly versionId: string;
  readonly document: string;
}

export function policyArn(scope: Scope, policyName: string): string {
  return `arn:${partitionOf(scope.region)}:iot:${scope.region}:${scope.accountId}:policy/${policyName}`;
}
