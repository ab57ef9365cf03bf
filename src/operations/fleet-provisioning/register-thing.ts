import { fleetTemplateRefusal } from '../../domain/provisioning/fleet-template-use.js';
import type { RegistrationRefusal } from '../../domain/provisioning/registration-rules.js';
import { registrationRules } from '../../domain/provisioning/registration-rules.js';
import { ServiceError } from '../../errors.js';
import { DeviceRegisterThing } from '../../model/fleet-provisioning.js';
import { registrationOf } from '../../provisioning/registration-of-plan.js';
import { evaluateTemplate } from '../../provisioning/template/evaluate-template.js';
import { parseTemplate } from '../../provisioning/template/parse-template.js';
import { TemplateError } from '../../provisioning/template/template-error.js';
import { ownershipTokensOf } from '../context.js';
import { defineOperation } from '../operation.js';

export interface RegisterThingInput {
  /** From the request topic. */
  readonly templateName: string;
  readonly certificateOwnershipToken: string;
  readonly parameters?: Readonly<Record<string, string>>;
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
export const registerThing = defineOperation({
  model: DeviceRegisterThing,
  run: async (input: RegisterThingInput, ctx): Promise<RegisterThingAnswer> => {
    const claim = ownershipTokensOf(ctx).open(input.certificateOwnershipToken);
    const now = ctx.now().getTime();
    if (!claim || claim.scope.accountId !== ctx.scope.accountId || claim.scope.region !== ctx.scope.region) {
      throw invalidToken('Certificate ownership token is invalid.');
    }
    if (claim.expiresAt <= now) throw invalidToken('Certificate ownership token has expired.');
    const template = await ctx.registry.provisioningTemplates.getTemplate(ctx.scope, input.templateName);
    if (!template) {
      throw new ServiceError('ResourceNotFound', `Provisioning template ${input.templateName} does not exist.`);
    }
    const refusal = fleetTemplateRefusal(template);
    if (refusal !== undefined) throw new ServiceError('Forbidden', refusal);
    let registration: ReturnType<typeof registrationOf>;
    try {
      const plan = evaluateTemplate(parseTemplate(template.templateBody), {
        parameters: parameterRecord(input.parameters),
        pseudoParameters: { 'AWS::IoT::Certificate::Id': claim.certificateId },
      });
      registration = registrationOf(plan, claim.certificateId, now);
    } catch (err) {
      if (err instanceof TemplateError) throw invalidParameters(err.message);
      throw err;
    }
    const outcome = await ctx.registry.provisioning.register(ctx.scope, registration.registration, registrationRules);
    if (!outcome.applied) throw refusalError(outcome.refusal);
    return { deviceConfiguration: registration.deviceConfiguration, thingName: registration.registration.thing?.name };
  },
});

/** The device's parameters without a prototype: a parameter named `toString` is just a parameter. */
function parameterRecord(given: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const parameters: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(given ?? {})) parameters[name] = value;
  return parameters;
}

function invalidToken(message: string): ServiceError {
  return new ServiceError('InvalidCertificateOwnershipToken', message);
}

function invalidParameters(message: string): ServiceError {
  return new ServiceError('InvalidParameters', message);
}

function refusalError(refusal: RegistrationRefusal): ServiceError {
  switch (refusal) {
    case 'token-unknown':
    case 'certificate-missing':
    // RegisterThing never registers a certificate, so never meets one already registered.
    case 'certificate-exists':
      return invalidToken('Certificate ownership token is invalid.');
    case 'token-redeemed':
      return invalidToken('Certificate ownership token has already been used.');
    case 'token-expired':
      return invalidToken('Certificate ownership token has expired.');
    case 'thing-exists':
      return invalidParameters('The thing already exists and the template says FAIL.');
    case 'thing-type-conflict':
      return invalidParameters('The thing already has another thing type and the template says FAIL.');
    case 'policy-missing':
      return new ServiceError('ResourceNotFound', 'A policy the template attaches does not exist.');
  }
}
