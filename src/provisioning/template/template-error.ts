/**
 * The one error the template engine throws. `errorCode` is what RegisterThing puts in its rejected payload
 * (`{"statusCode":400,"errorCode":...,"errorMessage":...}`); CreateProvisioningTemplate turns the message into an
 * InvalidRequestException.
 *
 * - `InvalidTemplate`: the template body itself is wrong (not JSON, bad sections, unknown resource type or intrinsic,
 *   wrong argument shapes, limits of the body). Found by `parseTemplate`, so a stored template never has them.
 * - `InvalidParameters`: the template is well formed but its values do not work out for this request: a reference
 *   that resolves to nothing (`Cannot resolve reference value: <name>`, AWS's own wording), a value of the wrong type
 *   once resolved, an index out of range, a result too large, a certificate id that is not the provisioned one.
 */
export const TEMPLATE_ERROR_CODES = ['InvalidTemplate', 'InvalidParameters'] as const;
export type TemplateErrorCode = (typeof TEMPLATE_ERROR_CODES)[number];

export class TemplateError extends Error {
  override readonly name = 'TemplateError';

  constructor(
    readonly errorCode: TemplateErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A structural fault of the template body. */
export function invalidTemplate(message: string): TemplateError {
  return new TemplateError('InvalidTemplate', message);
}

/** A fault of the values resolved for one request. */
export function invalidParameters(message: string): TemplateError {
  return new TemplateError('InvalidParameters', message);
}
