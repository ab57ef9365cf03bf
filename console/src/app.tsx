/** The console: the sign-in gate, then the layout around the view the hash route names. */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Layout } from './components/layout.js';
import { type Route, sectionOf } from './lib/route.js';
import {
  browserSessionStorage,
  type Credentials,
  clearCredentials,
  loadCredentials,
  saveCredentials,
} from './state/credentials.js';
import { openSession, SessionContext } from './state/session.js';
import { useRoute } from './state/use-route.js';
import { CaCertificateDetail, CaCertificatesView } from './views/ca-certificates.js';
import { CertificateDetail } from './views/certificate-detail.js';
import { CertificatesView } from './views/certificates.js';
import { CreateCertificate } from './views/create-certificate.js';
import { Dashboard } from './views/dashboard.js';
import { NotFound } from './views/not-found.js';
import { PoliciesView, PolicyDetail } from './views/policies.js';
import { SignIn } from './views/sign-in.js';
import { TemplateDetail, TemplatesView } from './views/templates.js';
import { ThingDetail, ThingsView } from './views/things.js';

const endpoint = location.origin;

export function App() {
  const [credentials, setCredentials] = useState<Credentials | undefined>(() =>
    loadCredentials(browserSessionStorage()),
  );
  const { route, hash } = useRoute();
  const session = useMemo(
    () =>
      credentials
        ? openSession(credentials, endpoint, () => {
            clearCredentials(browserSessionStorage());
            setCredentials(undefined);
          })
        : null,
    [credentials],
  );
  useFocusOnNavigation(hash);
  useTitle(route);

  if (!session) {
    return (
      <SignIn
        endpoint={endpoint}
        onSignedIn={(signedIn) => {
          saveCredentials(browserSessionStorage(), signedIn);
          setCredentials(signedIn);
        }}
      />
    );
  }
  return (
    <SessionContext.Provider value={session}>
      <Layout
        section={sectionOf(route)}
        accessKeyId={session.credentials.accessKeyId}
        region={session.credentials.region}
        onSignOut={session.signOut}
      >
        <View route={route} hash={hash} />
      </Layout>
    </SessionContext.Provider>
  );
}

function View({ route, hash }: { route: Route; hash: string }) {
  switch (route.name) {
    case 'dashboard':
      return <Dashboard />;
    case 'certificates':
      // Keyed by the address: a new search starts from a fresh form and page 1.
      return <CertificatesView key={hash} query={route.query} />;
    case 'certificate':
      return <CertificateDetail key={route.certificateId} certificateId={route.certificateId} />;
    case 'create-certificate':
      return <CreateCertificate />;
    case 'things':
      return <ThingsView />;
    case 'thing':
      return <ThingDetail key={route.thingName} thingName={route.thingName} />;
    case 'templates':
      return <TemplatesView />;
    case 'template':
      return <TemplateDetail key={route.templateName} templateName={route.templateName} />;
    case 'policies':
      return <PoliciesView />;
    case 'policy':
      return <PolicyDetail key={route.policyName} policyName={route.policyName} />;
    case 'ca-certificates':
      return <CaCertificatesView />;
    case 'ca-certificate':
      return <CaCertificateDetail key={route.certificateId} certificateId={route.certificateId} />;
    case 'not-found':
      return <NotFound path={route.path} />;
  }
}

/** After a navigation (not the first render), focus moves to <main> so keyboard and screen-reader users start there. */
function useFocusOnNavigation(hash: string) {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus({ preventScroll: false });
  }, [hash]);
}

const TITLES: Record<string, string> = {
  dashboard: 'Dashboard',
  certificates: 'Certificates',
  certificate: 'Certificate',
  'create-certificate': 'Create certificate',
  things: 'Things',
  thing: 'Thing',
  templates: 'Provisioning templates',
  template: 'Provisioning template',
  policies: 'Policies',
  policy: 'Policy',
  'ca-certificates': 'CA certificates',
  'ca-certificate': 'CA certificate',
  'not-found': 'Not found',
};

function useTitle(route: Route) {
  useEffect(() => {
    document.title = `${TITLES[route.name] ?? 'Console'} · fleetca`;
  }, [route.name]);
}
