import { evaluateCondition } from './evaluate-condition.js';
import { evaluateText } from './evaluate-expression.js';
import { Evaluation, type EvaluationInput } from './evaluation.js';
import { pathStep } from './json-value.js';
import type { ParsedTemplate } from './parsed-template.js';
import { planCertificate } from './plan-certificate.js';
import { planPolicy } from './plan-policy.js';
import { planThing } from './plan-thing.js';
import type { ProvisioningPlan } from './provisioning-plan.js';

export type { EvaluationInput } from './evaluation.js';

/**
 * Resolves a parsed template for one RegisterThing request into what must be provisioned. Throws TemplateError
 * with errorCode 'InvalidParameters' when a value does not work out: `Cannot resolve reference value: <name>` for a
 * reference to neither a given pseudo parameter nor a declared parameter with a value, or a message naming the
 * place in the template for wrong types, out-of-range indexes, oversized results and a foreign certificate id.
 */
export function evaluateTemplate(template: ParsedTemplate, input: EvaluationInput): ProvisioningPlan {
  const evaluation = new Evaluation(template, input);
  const included = (resource: { readonly condition?: string }) =>
    resource.condition === undefined || evaluateCondition(resource.condition, evaluation);
  const thing =
    template.thing !== undefined && included(template.thing) ? planThing(template.thing, evaluation) : undefined;
  const certificate =
    template.certificate !== undefined && included(template.certificate)
      ? planCertificate(template.certificate, evaluation)
      : undefined;
  const policies = template.policies.filter(included).map((policy) => planPolicy(policy, evaluation));
  const deviceConfiguration = Object.fromEntries(
    template.deviceConfiguration.map(([name, expression]) => [
      name,
      evaluateText(expression, evaluation, pathStep('DeviceConfiguration', name)),
    ]),
  );
  return {
    ...(thing !== undefined && { thing }),
    ...(certificate !== undefined && { certificate }),
    policies,
    deviceConfiguration,
  };
}
