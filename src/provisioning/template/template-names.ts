import { TEMPLATE_LIMITS } from './template-limits.js';

/**
 * Names declared in a template (parameters, conditions, mappings, resources, Fn::Sub variables). Letters, digits,
 * '_', '-' and ':' — the colons because templates declare pseudo parameters such as AWS::IoT::Certificate::Id.
 * No '.', which Fn::Sub reserves for attribute references.
 */
const NAME_PATTERN = /^[A-Za-z0-9_:-]+$/;

export function isValidName(name: string): boolean {
  return name.length > 0 && name.length <= TEMPLATE_LIMITS.maxNameLength && NAME_PATTERN.test(name);
}

/** Pseudo parameters come only from the caller, never from the device's request parameters. */
export function isPseudoParameterName(name: string): boolean {
  return name.startsWith('AWS::');
}

/** The pseudo parameter naming the certificate being provisioned. */
export const CERTIFICATE_ID_PSEUDO_PARAMETER = 'AWS::IoT::Certificate::Id';
