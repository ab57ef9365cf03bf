/** The frame around every signed-in view: skip link, header, nav (sidebar, or a menu on narrow screens), main. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { href } from '../lib/route.js';

export const NAV_ITEMS = [
  { section: 'dashboard', label: 'Dashboard', link: '#/', testid: 'nav-dashboard' },
  { section: 'certificates', label: 'Certificates', link: href('certificates'), testid: 'nav-certificates' },
  {
    section: 'create-certificate',
    label: 'Create certificate',
    link: href('certificates', 'new'),
    testid: 'nav-create-certificate',
  },
  { section: 'things', label: 'Things', link: href('things'), testid: 'nav-things' },
  { section: 'templates', label: 'Provisioning templates', link: href('templates'), testid: 'nav-templates' },
  { section: 'policies', label: 'Policies', link: href('policies'), testid: 'nav-policies' },
  {
    section: 'ca-certificates',
    label: 'CA certificates',
    link: href('ca-certificates'),
    testid: 'nav-ca-certificates',
  },
] as const;

interface Props {
  readonly section: string;
  readonly accessKeyId: string;
  readonly region: string;
  readonly onSignOut: () => void;
  readonly children: ComponentChildren;
}

export function Layout({ section, accessKeyId, region, onSignOut, children }: Props) {
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <div class="shell">
      <button type="button" class="skip-link" onClick={skipToMain} data-testid="skip-link">
        Skip to content
      </button>
      <header class="topbar">
        <a class="brand" href="#/">
          fleetca console
        </a>
        <button
          type="button"
          class="button nav-toggle"
          aria-expanded={menuOpen}
          aria-controls="nav-links"
          onClick={() => setMenuOpen(!menuOpen)}
          data-testid="nav-toggle"
        >
          Menu
        </button>
        <div class="identity">
          <span class="identity-key" title="Access key id">
            {accessKeyId}
          </span>
          <span class="identity-region" data-testid="session-region">
            {region}
          </span>
          <button type="button" class="button" onClick={onSignOut} data-testid="sign-out">
            Sign out
          </button>
        </div>
      </header>
      <nav class={menuOpen ? 'sidebar open' : 'sidebar'} aria-label="Main">
        <ul id="nav-links">
          {NAV_ITEMS.map((item) => (
            <li key={item.section}>
              <a
                href={item.link}
                aria-current={item.section === section ? 'page' : undefined}
                data-testid={item.testid}
                onClick={() => setMenuOpen(false)}
              >
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1} class="content">
        {children}
      </main>
    </div>
  );
}

/** The skip link is a button: a `#main` link would change the hash route, so it moves focus to <main> instead. */
function skipToMain() {
  document.getElementById('main')?.focus();
}
