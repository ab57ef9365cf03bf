import type { ParsedGlobals } from '../argv/global-options.js';
import { GeneralError } from '../errors/cli-errors.js';
import type { CliIO } from '../io.js';
import type { ProfileSettings, SharedConfig } from './shared-config.js';

/** botocore validate_region_name: a DNS label that is not all digits. */
const REGION_FORMAT = /^(?![0-9]+$)(?!-)[a-zA-Z0-9-]{0,63}(?<!-)$/;

/**
 * The configuration a command runs with — profile, region, output format — resolved from the
 * command line, `io.env` and the shared config files the way AWS CLI v2's session does. Every
 * lookup goes through `io.env`, never `process.env`.
 */
export class CliSession {
  constructor(
    private readonly io: CliIO,
    private readonly globals: ParsedGlobals,
    /** The shared config files, loaded when the CLI starts (loadSharedConfig). */
    private readonly shared: SharedConfig,
  ) {}

  /** The explicitly chosen profile: `--profile` > AWS_PROFILE > AWS_DEFAULT_PROFILE; undefined = default. */
  get profileName(): string | undefined {
    if (this.globals.profile) return this.globals.profile;
    // An environment variable counts even when empty (`AWS_PROFILE=` names the profile "").
    if (this.io.env.AWS_PROFILE !== undefined) return this.io.env.AWS_PROFILE;
    return this.io.env.AWS_DEFAULT_PROFILE;
  }

  /** The active profile's settings (botocore get_scoped_config). */
  scopedConfig(): ProfileSettings {
    const name = this.profileName;
    if (name === undefined) return this.shared.profiles.get('default') ?? {};
    const settings = this.shared.profiles.get(name);
    if (settings === undefined) throw new GeneralError(`The config profile (${name}) could not be found`);
    return settings;
  }

  /**
   * Region: `--region` > AWS_REGION > AWS_DEFAULT_REGION > `region` of the active profile.
   * Undefined (or empty) lets the transport choose; a malformed name is an error, as in botocore.
   */
  region(): string | undefined {
    const region = firstDefined([
      () => this.globals.region || undefined,
      () => this.io.env.AWS_REGION,
      () => this.io.env.AWS_DEFAULT_REGION,
      () => this.configString('region'),
    ]);
    if (region === undefined || region === '') return undefined;
    // Python's `$` also matches before one trailing newline.
    if (!REGION_FORMAT.test(region.endsWith('\n') ? region.slice(0, -1) : region)) {
      throw new GeneralError(`Provided region_name '${region}' doesn't match a supported format.`);
    }
    return region;
  }

  /** Output format: `--output` > AWS_DEFAULT_OUTPUT > `output` of the active profile > json. */
  outputFormat(): string {
    return (
      firstDefined([
        () => this.globals.output,
        () => this.io.env.AWS_DEFAULT_OUTPUT,
        () => this.configString('output'),
      ]) ?? 'json'
    );
  }

  /** Checks that an explicitly chosen profile exists (botocore raises this when the client is created). */
  checkProfile(): void {
    this.scopedConfig();
  }

  private configString(key: string): string | undefined {
    const value = this.scopedConfig()[key];
    return typeof value === 'string' ? value : undefined;
  }
}

/** botocore's ChainProvider: the first provider that has a value wins; later ones are not asked. */
function firstDefined(providers: readonly (() => string | undefined)[]): string | undefined {
  for (const provider of providers) {
    const value = provider();
    if (value !== undefined) return value;
  }
  return undefined;
}
