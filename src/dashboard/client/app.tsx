import { useEffect, useState } from 'preact/hooks';
import { ApiRequestError, setSignedOutHandler } from './api/http.js';
import { readSession, signOut } from './api/session.js';
import type { Session } from './api/types.js';
import { ErrorBox, Loading } from './components/ui.js';
import { useRoute } from './hooks/use-route.js';
import { AuditPage } from './pages/audit.js';
import { ComparePage } from './pages/compare.js';
import { DeploymentPage } from './pages/deployment.js';
import { ModelPage, ModelsPage } from './pages/models.js';
import { OverviewPage } from './pages/overview.js';
import { RunPage } from './pages/run.js';
import { RunsPage } from './pages/runs.js';
import { SignInPage } from './pages/sign-in.js';
import { VersionPage } from './pages/version.js';
import { hrefs, type Route } from './router.js';

/** Signed out: the sign-in form. Signed in: the page the hash names, under the navigation. */
export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [error, setError] = useState<ApiRequestError>();
  useEffect(() => {
    setSignedOutHandler(() => setSession(null));
    readSession().then(setSession, (failure: unknown) =>
      setError(
        failure instanceof ApiRequestError ? failure : new ApiRequestError(0, String(failure)),
      ),
    );
    return () => setSignedOutHandler(null);
  }, []);
  if (session === undefined) {
    return error ? <ErrorBox error={error} what="the session" /> : <Loading what="weft" />;
  }
  if (session === null) return <SignInPage onSignedIn={setSession} />;
  return <SignedIn session={session} onSignedOut={() => setSession(null)} />;
}

function SignedIn({ session, onSignedOut }: { session: Session; onSignedOut: () => void }) {
  const route = useRoute();
  const [signOutError, setSignOutError] = useState<ApiRequestError>();
  const leave = () => {
    signOut().then(onSignedOut, (failure: unknown) => {
      if (failure instanceof ApiRequestError) setSignOutError(failure);
    });
  };
  const section = sectionOf(route);
  const link = (href: string, name: typeof section, text: string) => (
    <a href={href} aria-current={section === name ? 'page' : undefined}>
      {text}
    </a>
  );
  return (
    <>
      <header class="top">
        <a class="brand" href={hrefs.overview()}>
          weft
        </a>
        <nav aria-label="main">
          {link(hrefs.overview(), 'deployments', 'Deployments')}
          {link(hrefs.runs(), 'runs', 'Runs')}
          {link(hrefs.models(), 'models', 'Models')}
          {link(hrefs.audit(), 'audit', 'Audit log')}
        </nav>
        <span class="who">
          signed in as <strong data-testid="session-name">{session.name}</strong> ({session.scope})
          <button type="button" onClick={leave}>
            Sign out
          </button>
        </span>
      </header>
      <main>
        <ErrorBox error={signOutError} what="sign out" />
        <RouteView route={route} />
      </main>
    </>
  );
}

function sectionOf(route: Route): 'deployments' | 'runs' | 'models' | 'audit' | null {
  switch (route.page) {
    case 'overview':
    case 'deployment':
      return 'deployments';
    case 'runs':
    case 'run':
    case 'compare':
      return 'runs';
    case 'models':
    case 'model':
    case 'version':
      return 'models';
    case 'audit':
      return 'audit';
    case 'not-found':
      return null;
  }
}

function RouteView({ route }: { route: Route }) {
  switch (route.page) {
    case 'overview':
      return <OverviewPage />;
    case 'deployment':
      return <DeploymentPage key={route.name} name={route.name} />;
    case 'runs':
      return <RunsPage query={route.query} />;
    case 'run':
      return <RunPage key={route.id} id={route.id} />;
    case 'compare':
      return <ComparePage runs={route.runs} commits={route.commits} />;
    case 'models':
      return <ModelsPage />;
    case 'model':
      return <ModelPage key={route.name} name={route.name} />;
    case 'version':
      return (
        <VersionPage
          key={`${route.name}@${route.version}`}
          name={route.name}
          version={route.version}
        />
      );
    case 'audit':
      return <AuditPage query={route.query} />;
    case 'not-found':
      return (
        <section class="page" data-page="not-found" data-ready="true">
          <h1>No such page</h1>
          <p>
            Nothing lives at <code>{route.hash}</code>.{' '}
            <a href={hrefs.overview()}>See the deployments</a>.
          </p>
        </section>
      );
  }
}
