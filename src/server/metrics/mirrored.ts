import { Counter, Gauge, type Registry } from 'prom-client';

/** Label values and the number they carry. */
export type Samples = ReadonlyArray<readonly [Readonly<Record<string, string>>, number]>;

interface MirrorSpec {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[];
  /** Read at every scrape: a number, or one number per label set. */
  readonly read: () => number | Samples;
}

/**
 * A counter whose value another component already keeps (the key engine counts its keys, the broker its
 * messages): copied at each scrape rather than counted twice.
 */
export function mirroredCounter(registry: Registry, spec: MirrorSpec): void {
  new Counter({
    ...configOf(registry, spec),
    collect() {
      this.reset();
      for (const [labels, value] of samplesOf(spec.read())) this.inc(labels, value);
    },
  });
}

/** A gauge read from its owner at each scrape. */
export function mirroredGauge(registry: Registry, spec: MirrorSpec): void {
  new Gauge({
    ...configOf(registry, spec),
    collect() {
      this.reset();
      for (const [labels, value] of samplesOf(spec.read())) this.set(labels, value);
    },
  });
}

function configOf(registry: Registry, spec: MirrorSpec) {
  return { name: spec.name, help: spec.help, labelNames: spec.labelNames ?? [], registers: [registry] };
}

function samplesOf(read: number | Samples): Samples {
  return typeof read === 'number' ? [[{}, read]] : read;
}
