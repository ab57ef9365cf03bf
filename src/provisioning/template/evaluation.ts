import type { ParsedTemplate } from './parsed-template.js';
import { invalidParameters, TemplateError } from './template-error.js';
import { TEMPLATE_LIMITS } from './template-limits.js';
import { isPseudoParameterName } from './template-names.js';

/** What the caller supplies for one RegisterThing request. */
export interface EvaluationInput {
  /** The device's request parameters. Names the template does not declare are ignored. */
  readonly parameters: Readonly<Record<string, string>>;
  /** Values only the service knows, such as AWS::IoT::Certificate::Id. They win over request parameters. */
  readonly pseudoParameters: Readonly<Record<string, string>>;
}

/**
 * The state of evaluating one template for one request: where references resolve, the conditions already
 * decided (each is evaluated once, so conditions sharing sub-conditions cost nothing more), and the running
 * total of produced data that caps what a template can make its evaluation allocate.
 */
export class Evaluation {
  private produced = 0;
  readonly conditionResults = new Map<string, boolean>();

  constructor(
    readonly template: ParsedTemplate,
    private readonly input: EvaluationInput,
  ) {}

  /**
   * A Ref or ${Name}: a pseudo parameter the caller gave; else a declared parameter, from the request (never for
   * AWS::* names, which a device must not be able to set) or its Default. Anything else cannot be resolved.
   */
  resolveReference(name: string, where: string): string {
    const value = this.lookUp(name);
    if (value === undefined) throw new TemplateError('InvalidParameters', `Cannot resolve reference value: ${name}`);
    if (typeof value !== 'string') throw invalidParameters(`${where}: the value of ${name} is not a string`);
    this.checkLength(value.length, where);
    return value;
  }

  private lookUp(name: string): unknown {
    if (Object.hasOwn(this.input.pseudoParameters, name)) return this.input.pseudoParameters[name];
    const declaration = this.template.parameters.get(name);
    if (declaration === undefined) return undefined;
    if (!isPseudoParameterName(name) && Object.hasOwn(this.input.parameters, name)) return this.input.parameters[name];
    return declaration.defaultValue;
  }

  /** The value of a pseudo parameter, if the caller gave it. */
  pseudoParameter(name: string): string | undefined {
    return Object.hasOwn(this.input.pseudoParameters, name) ? this.input.pseudoParameters[name] : undefined;
  }

  /** Checks the size of a string about to be built, and counts it against the evaluation's total. */
  produce(length: number, where: string): void {
    this.checkLength(length, where);
    this.count(length);
  }

  /** Counts values of a list about to be built. */
  produceList(count: number, where: string): void {
    if (count > TEMPLATE_LIMITS.maxListLength) {
      throw invalidParameters(`${where}: the result has more than ${TEMPLATE_LIMITS.maxListLength} values`);
    }
    this.count(count);
  }

  private checkLength(length: number, where: string): void {
    if (length > TEMPLATE_LIMITS.maxStringLength) {
      throw invalidParameters(`${where}: the result is longer than ${TEMPLATE_LIMITS.maxStringLength} characters`);
    }
  }

  private count(size: number): void {
    this.produced += size;
    if (this.produced > TEMPLATE_LIMITS.maxProducedSize) {
      throw invalidParameters(
        `The template produces more than ${TEMPLATE_LIMITS.maxProducedSize} characters of values`,
      );
    }
  }
}
