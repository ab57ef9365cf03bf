import { registrationRules } from '../domain/provisioning/registration-rules.js';
import type { OperationContext } from '../operations/context.js';
import type { RegistrationRefusal } from '../registry/provisioning-store.js';
import type { OwnershipTokens } from './ownership-token.js';
import { type ProvisioningError, provisioningErrors } from './provisioning-error.js';
import { registrationOf } from './registration-of-plan.js';
import { evaluateTemplate } from './template/evaluate-template.js';
import { parseTemplate } from './template/parse-template.js';
import { TemplateError } from './template/template-error.js';

export interface RegisterThingRequest {
  readonly templateName: string;
  readonly token: string;
  readonly parameters: Readonly<Record<string, string>>;
}

export interface RegisterThingAnswer {
  readonly deviceConfiguration: Readonly<Record<string, string>>;
  readonly thingName?: string;
}

/**
 * RegisterThing (reference §4.2, §4.4): the ownership token names the certificate; the template, resolved with
 * the device's parameters, says what to create; the registry applies all of it in one transaction, redeeming
 * the token, or nothing. Everything that can be checked before writing is checked first.
 */
export async function registerThing(
  ctx: OperationContext,
  tokens: OwnershipTokens,
  request: RegisterThingRequest,
): Promise<RegisterThingAnswer> {
  const claim = tokens.open(request.token);
  const now = ctx.now().getTime();
  if (!claim || claim.scope.accountId !== ctx.scope.accountId || claim.scope.region !== ctx.scope.region) {
    throw provisioningErrors.invalidToken('Certificate ownership token is invalid.');
  }
  if (claim.expiresAt <= now) throw provisioningErrors.invalidToken('Certificate ownership token has expired.');
  const template = await ctx.registry.provisioningTemplates.getTemplate(ctx.scope, request.templateName);
  if (!template) throw provisioningErrors.templateNotFound(request.templateName);
  if (!template.enabled) {
    throw provisioningErrors.forbidden(`Provisioning template ${request.templateName} is disabled.`);
  }
  if (template.templateType !== 'FLEET_PROVISIONING') {
    throw provisioningErrors.forbidden(
      `Provisioning template ${request.templateName} is not a fleet provisioning template.`,
    );
  }
  // A hook is the owner's veto over each device; fleetca cannot run one, so it refuses rather than skip the veto.
  if (template.preProvisioningHook) {
    throw provisioningErrors.forbidden(
      `Provisioning template ${request.templateName} has a pre-provisioning hook, which fleetca cannot invoke.`,
    );
  }
  let registration: ReturnType<typeof registrationOf>;
  try {
    const plan = evaluateTemplate(parseTemplate(template.templateBody), {
      parameters: request.parameters,
      pseudoParameters: { 'AWS::IoT::Certificate::Id': claim.certificateId },
    });
    registration = registrationOf(plan, claim.certificateId, now);
  } catch (err) {
    if (err instanceof TemplateError) throw provisioningErrors.invalidParameters(err.message);
    throw err;
  }
  const outcome = await ctx.registry.provisioning.register(ctx.scope, registration.registration, registrationRules);
  if (!outcome.applied) throw refusalError(outcome.refusal);
  return { deviceConfiguration: registration.deviceConfiguration, thingName: registration.registration.thing?.name };
}

function refusalError(refusal: RegistrationRefusal): ProvisioningError {
  switch (refusal) {
    case 'token-unknown':
    case 'certificate-missing':
      return provisioningErrors.invalidToken('Certificate ownership token is invalid.');
    case 'token-redeemed':
      return provisioningErrors.invalidToken('Certificate ownership token has already been used.');
    case 'token-expired':
      return provisioningErrors.invalidToken('Certificate ownership token has expired.');
    case 'thing-exists':
      return provisioningErrors.invalidParameters('The thing already exists and the template says FAIL.');
    case 'thing-type-conflict':
      return provisioningErrors.invalidParameters(
        'The thing already has another thing type and the template says FAIL.',
      );
  }
}
