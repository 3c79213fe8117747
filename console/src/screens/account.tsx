import { useState, type FormEvent } from 'react';
import { api, ApiError, unwrap } from '../api/client';
import { ErrorBanner, Field, PageHeader } from '../components/ui';
import { ROLE_LABELS } from '../permissions';
import { useSession } from '../session';
import { asApiError } from '../use-load';

export function Account() {
  const { session } = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<ApiError | undefined>();
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setDone(false);
    try {
      await unwrap(api.POST('/v1/sessions/current/password', { body: { current_password: current, new_password: next } }));
      setCurrent('');
      setNext('');
      setDone(true);
    } catch (caught) {
      setError(asApiError(caught));
    }
  };

  return (
    <>
      <PageHeader title="Your account" />
      <section className="card">
        <dl className="facts">
          <dt>Name</dt>
          <dd>{session.user.name}</dd>
          <dt>Email</dt>
          <dd>{session.user.email}</dd>
          <dt>Role</dt>
          <dd>{ROLE_LABELS[session.user.role] ?? session.user.role}</dd>
          {session.user.merchant_id && (
            <>
              <dt>Merchant</dt>
              <dd><code className="mono">{session.user.merchant_id}</code></dd>
            </>
          )}
        </dl>
      </section>
      <section className="card">
        <h2>Change password</h2>
        <p className="muted">Your other sessions are signed out. 12 characters or more.</p>
        <form className="form-grid" onSubmit={(event) => void submit(event)}>
          <Field label="Current password">
            <input type="password" autoComplete="current-password" required value={current} onChange={(event) => setCurrent(event.target.value)} />
          </Field>
          <Field label="New password">
            <input type="password" autoComplete="new-password" required minLength={12} value={next} onChange={(event) => setNext(event.target.value)} />
          </Field>
          <div className="form-actions">
            <button type="submit" className="button button-primary">Change password</button>
          </div>
        </form>
        <ErrorBanner error={error} />
        <div aria-live="polite">{done && <p className="notice">Password changed.</p>}</div>
      </section>
    </>
  );
}
