/** `/console/config.json`: the regions the server serves (null: any) and the one to offer first. */
export interface ConsoleConfig {
  readonly regions: string[] | null;
  readonly defaultRegion: string;
}

export const fallbackConfig: ConsoleConfig = { regions: null, defaultRegion: 'us-east-1' };

export function parseConsoleConfig(value: unknown): ConsoleConfig {
  const v = (value ?? {}) as { regions?: unknown; defaultRegion?: unknown };
  const regions =
    Array.isArray(v.regions) && v.regions.every((r) => typeof r === 'string') && v.regions.length > 0
      ? (v.regions as string[])
      : null;
  const defaultRegion =
    typeof v.defaultRegion === 'string' && v.defaultRegion ? v.defaultRegion : (regions?.[0] ?? 'us-east-1');
  return { regions, defaultRegion };
}

/** Reads the config next to index.html; a server without one gets free-text regions. */
export async function loadConsoleConfig(): Promise<ConsoleConfig> {
  try {
    const response = await fetch('config.json', { headers: { accept: 'application/json' } });
    if (!response.ok) return fallbackConfig;
    return parseConsoleConfig(await response.json());
  } catch {
    return fallbackConfig;
  }
}
