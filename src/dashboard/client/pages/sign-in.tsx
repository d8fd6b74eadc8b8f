import { useState } from 'preact/hooks';
import { ApiRequestError } from '../api/http.js';
import { signIn } from '../api/session.js';
import type { Session } from '../api/types.js';
import { ErrorBox } from '../components/ui.js';

/** The token is sent once, to POST /api/v1/session; from then on the HttpOnly cookie is used. */
export function SignInPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiRequestError>();
  const submit = (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    signIn(token).then(onSignedIn, (failure: unknown) => {
      setBusy(false);
      setError(
        failure instanceof ApiRequestError ? failure : new ApiRequestError(0, String(failure)),
      );
    });
  };
  return (
    <main class="sign-in">
      <section class="page" data-page="sign-in" data-ready="true">
        <h1>Sign in to weft</h1>
        <form onSubmit={submit} class="sign-in-form">
          <label for="token">API token</label>
          <input
            id="token"
            name="token"
            type="password"
            autocomplete="off"
            spellcheck={false}
            required
            value={token}
            onInput={(event) => setToken((event.target as HTMLInputElement).value)}
          />
          <button type="submit" disabled={busy || token.trim() === ''}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        {error ? <ErrorBox error={error} what="a session" /> : null}
        <p class="muted">
          Create a token on the server’s machine with{' '}
          <code>weft token create NAME --scope read</code>. It is exchanged for a session cookie the
          page’s scripts cannot read.
        </p>
      </section>
    </main>
  );
}
