/** A definition list of labelled facts (the top of every detail page). */
import type { ComponentChildren } from 'preact';

export type Fact = readonly [label: string, value: ComponentChildren];

export function Facts({ facts, testid }: { facts: readonly Fact[]; testid?: string }) {
  return (
    <dl class="facts" data-testid={testid}>
      {facts.map(([label, value]) => (
        <div class="fact" key={label}>
          <dt>{label}</dt>
          <dd>{value ?? '–'}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A page title with an optional line of actions beside it. */
export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="page-header">
      <h1 id="page-title">{title}</h1>
      {children ? <div class="page-actions">{children}</div> : null}
    </div>
  );
}
