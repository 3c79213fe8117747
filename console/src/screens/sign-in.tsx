import { useState, type FormEvent } from 'react';
import { api, ApiError, unwrap } from '../api/client';
import type { Session } from '../api/types';
import { ErrorBanner, Field } from '../components/ui';
import { asApiError } from '../use-load';

export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await unwrap(api.POST('/v1/sessions', { body: { email, password } })));
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in" id="main">
      <form className="card sign-in-card" onSubmit={(event) => void submit(event)}>
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" /> Gateway console
        </div>
        <h1>Sign in</h1>
        <Field label="Email">
          <input type="email" name="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />
        </Field>
        <Field label="Password">
          <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
        </Field>
        <ErrorBanner error={error} />
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
