import assert from 'node:assert/strict';
import { evaluateTemplate } from '../../../src/provisioning/template/evaluate-template.js';
import { type ParsedTemplate, parseTemplate } from '../../../src/provisioning/template/parse-template.js';
import type { ProvisioningPlan } from '../../../src/provisioning/template/provisioning-plan.js';
import { TemplateError } from '../../../src/provisioning/template/template-error.js';

export const CERTIFICATE_ID = 'a'.repeat(64);
export const PSEUDO = { 'AWS::IoT::Certificate::Id': CERTIFICATE_ID };

/** Parses a template given as a JavaScript object. */
export function parse(template: unknown): ParsedTemplate {
  return parseTemplate(JSON.stringify(template));
}

/** Parses and evaluates; pseudo parameters default to the certificate id only. */
export function evaluate(
  template: unknown,
  parameters: Record<string, string> = {},
  pseudoParameters: Record<string, string> = PSEUDO,
): ProvisioningPlan {
  return evaluateTemplate(parse(template), { parameters, pseudoParameters });
}

/** A template whose DeviceConfiguration holds `value` under "Out", so one value can be evaluated alone. */
export function valueTemplate(value: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { Resources: {}, DeviceConfiguration: { Out: value }, ...extra };
}

/** Evaluates one value (see valueTemplate). */
export function evaluateValue(
  value: unknown,
  parameters: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): string | undefined {
  return evaluate(valueTemplate(value, extra), parameters).deviceConfiguration.Out;
}

/** Asserts that `run` throws a TemplateError with this code and a message equal to / matching `message`. */
export function assertTemplateError(run: () => unknown, errorCode: string, message: string | RegExp): TemplateError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof TemplateError, `expected a TemplateError, got ${String(caught)}`);
  assert.equal(caught.errorCode, errorCode, caught.message);
  if (typeof message === 'string') assert.equal(caught.message, message);
  else assert.match(caught.message, message);
  return caught;
}

export function assertInvalidTemplate(template: unknown, message: string | RegExp): TemplateError {
  return assertTemplateError(() => parse(template), 'InvalidTemplate', message);
}
