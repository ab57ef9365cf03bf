/** The fleet-provisioning template engine: parse (and refuse) a template body, then evaluate it per request. */
export { type EvaluationInput, evaluateTemplate } from './evaluate-template.js';
export { type ParsedTemplate, parseTemplate } from './parse-template.js';
export type {
  CertificatePlan,
  OverrideAction,
  PolicyPlan,
  ProvisioningPlan,
  ThingPlan,
} from './provisioning-plan.js';
export { TEMPLATE_ERROR_CODES, TemplateError, type TemplateErrorCode } from './template-error.js';
export { TEMPLATE_LIMITS } from './template-limits.js';
