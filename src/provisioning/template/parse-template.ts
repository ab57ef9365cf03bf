import { isJsonObject, type JsonObject, jsonKind, quote } from './json-value.js';
import { jsonNestingDepth } from './nesting-depth.js';
import { conditionNamesOf, parseConditions } from './parse-conditions.js';
import type { ParseContext } from './parse-context.js';
import { parseDeviceConfiguration } from './parse-device-configuration.js';
import { parseMappings } from './parse-mappings.js';
import { parseParameters } from './parse-parameters.js';
import { parseResources } from './parse-resources.js';
import type { ParsedTemplate } from './parsed-template.js';
import { invalidTemplate } from './template-error.js';
import { TEMPLATE_LIMITS } from './template-limits.js';

export type { ParsedTemplate } from './parsed-template.js';

/** Top-level sections; the two CloudFormation descriptors are tolerated and ignored. */
const SECTIONS = new Set([
  'Parameters',
  'Mappings',
  'Conditions',
  'Resources',
  'DeviceConfiguration',
  'AWSTemplateFormatVersion',
  'Description',
]);

/**
 * Parses and checks a provisioning template body. Throws TemplateError with errorCode 'InvalidTemplate' when the
 * body is not a JSON object, is too large or too deeply nested, or is structurally invalid; messages name the
 * place in the template ("Resources.thing.Properties.ThingName: ...") and never echo more than a short excerpt.
 */
export function parseTemplate(body: string): ParsedTemplate {
  if (body.length > TEMPLATE_LIMITS.maxBodyLength) {
    throw invalidTemplate(`The template body is longer than ${TEMPLATE_LIMITS.maxBodyLength} characters`);
  }
  if (jsonNestingDepth(body, TEMPLATE_LIMITS.maxNestingDepth) > TEMPLATE_LIMITS.maxNestingDepth) {
    throw invalidTemplate(
      `The template body nests objects and lists more than ${TEMPLATE_LIMITS.maxNestingDepth} deep`,
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch {
    throw invalidTemplate('The template body is not valid JSON');
  }
  if (!isJsonObject(document))
    throw invalidTemplate(`The template body must be a JSON object, found ${jsonKind(document)}`);
  return parseSections(document);
}

function parseSections(document: JsonObject): ParsedTemplate {
  for (const key of Object.keys(document)) {
    if (!SECTIONS.has(key)) {
      throw invalidTemplate(
        `Unknown template section ${quote(key)} (expected Parameters, Mappings, Conditions, Resources, DeviceConfiguration)`,
      );
    }
  }
  for (const key of ['AWSTemplateFormatVersion', 'Description']) {
    if (document[key] !== undefined && typeof document[key] !== 'string') {
      throw invalidTemplate(`${key} must be a string, found ${jsonKind(document[key])}`);
    }
  }
  const parameters = parseParameters(document.Parameters);
  const mappings = parseMappings(document.Mappings);
  // Condition names first: conditions, resources and Fn::If refer to them in any order.
  const context: ParseContext = { mappings, conditionNames: conditionNamesOf(document.Conditions) };
  const conditions = parseConditions(document.Conditions, context);
  const resources = parseResources(document.Resources, context);
  const deviceConfiguration = parseDeviceConfiguration(document.DeviceConfiguration, context);
  return { parameters, mappings, conditions, ...resources, deviceConfiguration };
}
