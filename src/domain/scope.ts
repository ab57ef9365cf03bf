/** Resources live per account and region, as in AWS. */
export interface Scope {
  readonly accountId: string;
  readonly region: string;
}

/** The ARN partition a region belongs to: China and GovCloud regions have their own. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
