import { useState, type FormEvent } from 'react';
import { api, ApiError, unwrap } from '../api/client';
import { ConfirmButton } from '../components/confirm-dialog';
import { Badge, Empty, ErrorBanner, Field, Id, Loading, PageHeader } from '../components/ui';
import { formatDateTime } from '../format';
import { useSession } from '../session';
import { asApiError, useLoad } from '../use-load';

export function Acquirers() {
  const { can } = useSession();
  const acquirers = useLoad(() => unwrap(api.GET('/v1/admin/acquirers', { params: { query: { limit: 100 } } })), 'acquirers');
  const [form, setForm] = useState({ name: '', base_url: '', api_key: '', timeout_ms: '' });
  const [error, setError] = useState<ApiError | undefined>();

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await unwrap(
        api.POST('/v1/admin/acquirers', {
          body: { name: form.name, kind: 'http', base_url: form.base_url, api_key: form.api_key, timeout_ms: form.timeout_ms ? Number(form.timeout_ms) : undefined },
        }),
      );
      setForm({ name: '', base_url: '', api_key: '', timeout_ms: '' });
      acquirers.reload();
    } catch (caught) {
      setError(asApiError(caught));
    }
  };

  return (
    <>
      <PageHeader title="Acquirers" />
      <p className="muted">Each merchant's routing (which acquirers, in which order) is on its merchant page.</p>
      {can.manageAcquirers && (
        <form className="card" onSubmit={(event) => void create(event)}>
          <h2>Add an http acquirer</h2>
          <div className="form-grid">
            <Field label="Name"><input type="text" required value={form.name} onChange={(event) => setForm({ ...form, name: event.target.value })} /></Field>
            <Field label="Base URL"><input type="url" required value={form.base_url} onChange={(event) => setForm({ ...form, base_url: event.target.value })} /></Field>
            <Field label="API key"><input type="password" required autoComplete="off" value={form.api_key} onChange={(event) => setForm({ ...form, api_key: event.target.value })} /></Field>
            <Field label="Timeout (ms, optional)"><input type="number" min={1} value={form.timeout_ms} onChange={(event) => setForm({ ...form, timeout_ms: event.target.value })} /></Field>
          </div>
          <button type="submit" className="button button-primary">Add acquirer</button>
          <ErrorBanner error={error} />
        </form>
      )}
      <section className="card card-flush">
        <ErrorBanner error={acquirers.error} />
        {acquirers.loading && !acquirers.data && <Loading />}
        {acquirers.data && acquirers.data.data.length === 0 && <Empty>No acquirers.</Empty>}
        {acquirers.data && acquirers.data.data.length > 0 && (
          <table className="table">
            <thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Health</th><th scope="col">Enabled</th><th scope="col" className="num">Timeout</th><th scope="col">Base URL</th><th scope="col">Acquirer</th><th scope="col">Updated</th>{can.manageAcquirers && <th scope="col"><span className="visually-hidden">Actions</span></th>}</tr></thead>
            <tbody>
              {acquirers.data.data.map((acquirer) => (
                <tr key={acquirer.id}>
                  <td className="free-text">{acquirer.name}</td>
                  <td>{acquirer.kind}</td>
                  <td><Badge status={acquirer.health.state} /> {acquirer.health.consecutive_failures > 0 && <span className="muted">{acquirer.health.consecutive_failures} failures</span>}</td>
                  <td><Badge status={acquirer.enabled ? 'enabled' : 'disabled'} /></td>
                  <td className="num">{acquirer.timeout_ms} ms</td>
                  <td className="url">{acquirer.base_url ?? '—'}</td>
                  <td><Id value={acquirer.id} /></td>
                  <td className="when">{formatDateTime(acquirer.updated_at)}</td>
                  {can.manageAcquirers && (
                    <td className="row-actions">
                      {acquirer.kind === 'http' && (
                        <ConfirmButton
                          label={acquirer.enabled ? 'Disable' : 'Enable'}
                          title={`${acquirer.enabled ? 'Disable' : 'Enable'} ${acquirer.name}`}
                          confirmLabel={acquirer.enabled ? 'Disable' : 'Enable'}
                          danger={acquirer.enabled}
                          body={<p>{acquirer.enabled ? 'Routing skips it: payments go to the next acquirer of each rule.' : 'Routing may send payments to it again.'}</p>}
                          run={async () => {
                            await unwrap(api.PATCH('/v1/admin/acquirers/{id}', { params: { path: { id: acquirer.id } }, body: { enabled: !acquirer.enabled } }));
                          }}
                          onDone={acquirers.reload}
                        />
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
