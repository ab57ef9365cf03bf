import { entriesOf, isJsonObject, type JsonValue, jsonKind, pathStep, quote } from './json-value.js';
import type { ParameterDeclaration } from './parsed-template.js';
import { invalidTemplate } from './template-error.js';
import { isValidName } from './template-names.js';

const DECLARATION_KEYS = new Set(['Type', 'Default', 'Description']);

/**
 * Parses the Parameters section: { Name: { "Type": "String", "Default"?: string, "Description"?: string } }.
 * String is the only type provisioning templates have; CloudFormation's other keys (AllowedValues, AllowedPattern,
 * ...) are refused rather than silently ignored, since a template relying on them would not be checked.
 */
export function parseParameters(section: JsonValue | undefined): ReadonlyMap<string, ParameterDeclaration> {
  const parameters = new Map<string, ParameterDeclaration>();
  if (section === undefined) return parameters;
  if (!isJsonObject(section)) throw invalidTemplate(`Parameters must be an object, found ${jsonKind(section)}`);
  for (const [name, declaration] of entriesOf(section)) {
    const where = pathStep('Parameters', name);
    if (!isValidName(name)) throw invalidTemplate(`Parameters: ${quote(name)} is not a valid parameter name`);
    if (!isJsonObject(declaration)) {
      throw invalidTemplate(`${where}: a parameter declaration must be an object, found ${jsonKind(declaration)}`);
    }
    for (const key of Object.keys(declaration)) {
      if (!DECLARATION_KEYS.has(key)) {
        throw invalidTemplate(
          `${where}: unsupported key ${quote(key)} (a parameter has Type, Default and Description)`,
        );
      }
    }
    if (declaration.Type !== 'String') {
      const found = typeof declaration.Type === 'string' ? quote(declaration.Type) : jsonKind(declaration.Type);
      throw invalidTemplate(`${where}.Type: the only parameter type is "String", found ${found}`);
    }
    const defaultValue = declaration.Default;
    if (defaultValue !== undefined && typeof defaultValue !== 'string') {
      throw invalidTemplate(`${where}.Default: expected a string, found ${jsonKind(defaultValue)}`);
    }
    if (declaration.Description !== undefined && typeof declaration.Description !== 'string') {
      throw invalidTemplate(`${where}.Description: expected a string, found ${jsonKind(declaration.Description)}`);
    }
    parameters.set(name, defaultValue === undefined ? {} : { defaultValue });
  }
  return parameters;
}
