import type { OverrideAction } from './parsed-template.js';

export type { OverrideAction } from './parsed-template.js';

/**
 * What RegisterThing must do for one device, as the template decided it: every value resolved, resources whose
 * Condition was false left out. Carrying it out (registry writes) is the caller's business.
 */
export interface ProvisioningPlan {
  readonly thing?: ThingPlan;
  readonly certificate?: CertificatePlan;
  /** In template order. */
  readonly policies: readonly PolicyPlan[];
  /** Returned to the device in the accepted payload. */
  readonly deviceConfiguration: Readonly<Record<string, string>>;
}

export interface ThingPlan {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly thingTypeName?: string;
  readonly thingGroups: readonly string[];
  readonly billingGroup?: string;
  /**
   * What to do where the thing already exists, per property; only the settings the template gives (the
   * documentation names no default, so the caller chooses one for those absent).
   */
  readonly overrideSettings: {
    readonly attributePayload?: OverrideAction;
    readonly thingTypeName?: Exclude<OverrideAction, 'MERGE'>;
    readonly thingGroups?: OverrideAction;
  };
}

export interface CertificatePlan {
  /** Normalised from the template's spelling (Active, ACTIVE, ...); ACTIVE when the template gives none. */
  readonly status: 'ACTIVE' | 'INACTIVE';
}

/** Either an existing policy to attach (name) or a new one to create from the document (a JSON object's text). */
export interface PolicyPlan {
  readonly name?: string;
  readonly document?: string;
}
