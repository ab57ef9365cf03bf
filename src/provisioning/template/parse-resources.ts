import { entriesOf, isJsonObject, type JsonValue, jsonKind, pathStep, quote } from './json-value.js';
import { parseCertificateResource } from './parse-certificate-resource.js';
import type { ParseContext } from './parse-context.js';
import { parsePolicyResource } from './parse-policy-resource.js';
import { parseThingResource } from './parse-thing-resource.js';
import type { CertificateResource, PolicyResource, ThingResource } from './parsed-template.js';
import { resourceShape } from './resource-shape.js';
import { invalidTemplate } from './template-error.js';
import { isValidName } from './template-names.js';

export interface ParsedResources {
  readonly thing?: ThingResource;
  readonly certificate?: CertificateResource;
  readonly policies: readonly PolicyResource[];
}

/** Parses the Resources section (required, an object): at most one thing, at most one certificate, any policies. */
export function parseResources(section: JsonValue | undefined, context: ParseContext): ParsedResources {
  if (section === undefined) throw invalidTemplate('The template has no Resources section');
  if (!isJsonObject(section)) throw invalidTemplate(`Resources must be an object, found ${jsonKind(section)}`);
  let thing: ThingResource | undefined;
  let certificate: CertificateResource | undefined;
  const policies: PolicyResource[] = [];
  for (const [logicalId, value] of entriesOf(section)) {
    if (!isValidName(logicalId)) throw invalidTemplate(`Resources: ${quote(logicalId)} is not a valid resource name`);
    const resource = resourceShape(logicalId, value, pathStep('Resources', logicalId), context);
    switch (resource.type) {
      case 'AWS::IoT::Thing':
        if (thing !== undefined) throw onlyOne('AWS::IoT::Thing', thing.logicalId, logicalId);
        thing = parseThingResource(resource, context);
        break;
      case 'AWS::IoT::Certificate':
        if (certificate !== undefined) throw onlyOne('AWS::IoT::Certificate', certificate.logicalId, logicalId);
        certificate = parseCertificateResource(resource, context);
        break;
      case 'AWS::IoT::Policy':
        policies.push(parsePolicyResource(resource, context));
        break;
      default:
        throw invalidTemplate(
          `${resource.where}.Type: unknown resource type ${quote(resource.type)} (expected AWS::IoT::Thing, AWS::IoT::Certificate or AWS::IoT::Policy)`,
        );
    }
  }
  return { ...(thing !== undefined && { thing }), ...(certificate !== undefined && { certificate }), policies };
}

function onlyOne(type: string, first: string, second: string) {
  return invalidTemplate(
    `Resources: a template can declare only one ${type} resource (found ${quote(first)} and ${quote(second)})`,
  );
}
