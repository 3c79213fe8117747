import { useState, type FormEvent } from 'react';
import { api, ApiError, unwrap, type Schemas } from '../api/client';
import type { ApiKey, Page } from '../api/types';
import { ConfirmButton } from '../components/confirm-dialog';
import { Badge, Empty, ErrorBanner, Field, Id, Loading, ModeBadge, PageHeader, Pager, ShownOnce, usePager } from '../components/ui';
import { formatDateTime } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { asApiError, useLoad } from '../use-load';

export function Merchants() {
  const { can } = useSession();
  const pager = usePager();
  const list = useLoad(() => unwrap(api.GET('/v1/admin/merchants', { params: { query: { limit: 25, cursor: pager.cursor } } })), pager.cursor ?? '');
  const [name, setName] = useState('');
  const [error, setError] = useState<ApiError | undefined>();

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await unwrap(api.POST('/v1/admin/merchants', { body: { name } }));
      setName('');
      pager.reset();
      list.reload();
    } catch (caught) {
      setError(asApiError(caught));
    }
  };

  return (
    <>
      <PageHeader title="Merchants" />
      {can.manageMerchants && (
        <form className="card inline-form" onSubmit={(event) => void create(event)}>
          <Field label="New merchant's name">
            <input type="text" name="merchant_name" required value={name} onChange={(event) => setName(event.target.value)} />
          </Field>
          <button type="submit" className="button button-primary">Create merchant</button>
          <ErrorBanner error={error} />
        </form>
      )}
      <section className="card card-flush">
        <ErrorBanner error={list.error} />
        {list.loading && !list.data && <Loading />}
        {list.data && list.data.data.length === 0 && <Empty>No merchants yet.</Empty>}
        {list.data && list.data.data.length > 0 && (
          <table className="table">
            <thead><tr><th scope="col">Name</th><th scope="col">Merchant</th><th scope="col">Created</th></tr></thead>
            <tbody>
              {list.data.data.map((merchant) => (
                <tr key={merchant.id}>
                  <td className="free-text"><Link to={`/merchants/${merchant.id}`}>{merchant.name}</Link></td>
                  <td><Id value={merchant.id} /></td>
                  <td className="when">{formatDateTime(merchant.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {list.data && <Pager pager={pager} hasMore={list.data.has_more} nextCursor={list.data.next_cursor} />}
      </section>
    </>
  );
}

/** A merchant (staff): its keys, and its routing for admins. */
export function MerchantDetail({ id }: { id: string }) {
  const { can } = useSession();
  return (
    <>
      <p className="breadcrumb"><Link to="/merchants">Merchants</Link> / <code className="mono">{id}</code></p>
      <PageHeader title="Merchant">
        <Link className="button" to={`/payments?merchant_id=${id}`}>Its payments</Link>
      </PageHeader>
      <ApiKeys
        list={(cursor) => unwrap(api.GET('/v1/admin/merchants/{id}/api-keys', { params: { path: { id }, query: { limit: 25, cursor } } }))}
        issue={(mode) => unwrap(api.POST('/v1/admin/merchants/{id}/api-keys', { params: { path: { id } }, body: { mode } }))}
        revoke={(keyId) => unwrap(api.DELETE('/v1/admin/api-keys/{id}', { params: { path: { id: keyId } } }))}
        manage={can.manageKeys}
      />
      {can.acquirers && <Routing merchantId={id} editable={can.manageAcquirers} />}
    </>
  );
}

/** The signed-in merchant admin's own keys. */
export function MerchantKeys() {
  const { can } = useSession();
  return (
    <>
      <PageHeader title="API keys" />
      <ApiKeys
        list={(cursor) => unwrap(api.GET('/v1/api-keys', { params: { query: { limit: 25, cursor } } }))}
        issue={(mode) => unwrap(api.POST('/v1/api-keys', { body: { mode } }))}
        revoke={(keyId) => unwrap(api.DELETE('/v1/api-keys/{id}', { params: { path: { id: keyId } } }))}
        manage={can.manageKeys}
        title="Your merchant's keys"
      />
    </>
  );
}

function ApiKeys({
  list,
  issue,
  revoke,
  manage,
  title = 'API keys',
}: {
  title?: string;
  list: (cursor: string | undefined) => Promise<Page<ApiKey>>;
  issue: (mode: 'live' | 'test') => Promise<Schemas['CreatedApiKeyResponse']>;
  revoke: (id: string) => Promise<unknown>;
  manage: boolean;
}) {
  const pager = usePager();
  const keys = useLoad(() => list(pager.cursor), pager.cursor ?? '');
  const [mode, setMode] = useState<'live' | 'test'>('test');
  const [issued, setIssued] = useState<Schemas['CreatedApiKeyResponse'] | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const rows = keys.data?.data ?? [];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const created = await issue(mode);
      setIssued(created);
      pager.reset();
      keys.reload();
    } catch (caught) {
      setError(asApiError(caught));
    }
  };

  return (
    <section className="card card-flush" aria-labelledby="keys-title">
      <h2 id="keys-title" className="card-title">{title}</h2>
      {manage && (
        <form className="inline-form card-inset" onSubmit={(event) => void submit(event)}>
          <Field label="Mode">
            <select name="mode" value={mode} onChange={(event) => setMode(event.target.value as 'live' | 'test')}>
              <option value="test">Test (sk_test_…, the simulator only)</option>
              <option value="live">Live (sk_live_…, real payments)</option>
            </select>
          </Field>
          <button type="submit" className="button button-primary">Issue key</button>
        </form>
      )}
      <ErrorBanner error={error} />
      {issued && (
        <div className="card-inset">
          <ShownOnce label={`New ${issued.livemode ? 'live' : 'test'} key ${issued.prefix}`} value={issued.key} onDone={() => setIssued(undefined)} />
        </div>
      )}
      <ErrorBanner error={keys.error} />
      {keys.loading && !keys.data && <Loading />}
      {keys.data && rows.length === 0 && <Empty>No API keys yet.</Empty>}
      {rows.length > 0 && (
        <table className="table">
          <thead><tr><th scope="col">Prefix</th><th scope="col">Mode</th><th scope="col">Status</th><th scope="col">Key</th><th scope="col">Created</th>{manage && <th scope="col"><span className="visually-hidden">Actions</span></th>}</tr></thead>
          <tbody>
            {rows.map((key) => (
              <tr key={key.id}>
                <td><code className="mono">{key.prefix}…</code></td>
                <td><ModeBadge livemode={key.livemode} /></td>
                <td>{key.revoked_at ? <><Badge status="revoked" /> <span className="muted">{formatDateTime(key.revoked_at)}</span></> : <Badge status="active" />}</td>
                <td><Id value={key.id} /></td>
                <td className="when">{formatDateTime(key.created_at)}</td>
                {manage && (
                  <td className="row-actions">
                    {!key.revoked_at && (
                      <ConfirmButton
                        label="Revoke"
                        title={`Revoke ${key.prefix}…`}
                        confirmLabel="Revoke key"
                        danger
                        body={<p>Requests with this key are refused at once, on every instance. This cannot be undone.</p>}
                        run={async () => {
                          await revoke(key.id);
                        }}
                        onDone={keys.reload}
                      />
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {keys.data && <Pager pager={pager} hasMore={keys.data.has_more} nextCursor={keys.data.next_cursor} />}
    </section>
  );
}

function Routing({ merchantId, editable }: { merchantId: string; editable: boolean }) {
  const routing = useLoad(() => unwrap(api.GET('/v1/admin/merchants/{id}/routing', { params: { path: { id: merchantId } } })), merchantId);
  const [text, setText] = useState<string | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [saved, setSaved] = useState(false);
  const shown = text ?? (routing.data ? JSON.stringify(routing.data, null, 2) : '');

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    let body: Schemas['RoutingDto'];
    try {
      body = JSON.parse(shown) as Schemas['RoutingDto'];
    } catch (caught) {
      setError(new ApiError(0, 'invalid_json', `The routing is not valid JSON: ${(caught as Error).message}`, null, null));
      return;
    }
    try {
      await unwrap(api.PUT('/v1/admin/merchants/{id}/routing', { params: { path: { id: merchantId } }, body }));
      setText(undefined);
      setSaved(true);
      routing.reload();
    } catch (caught) {
      setError(asApiError(caught));
    }
  };

  return (
    <section className="card" aria-labelledby="routing-title">
      <h2 id="routing-title">Routing</h2>
      <p className="muted">
        Rules are tried in order (currency, brand, amount range); the first that matches names the acquirers to try, with failover in order; otherwise
        <code> default</code>. Test keys always use the simulator.
      </p>
      <ErrorBanner error={routing.error} />
      {routing.loading && !routing.data && <Loading />}
      {routing.data && (
        <form onSubmit={(event) => void save(event)}>
          <Field label="Routing (JSON)">
            <textarea className="mono code-editor" rows={10} readOnly={!editable} value={shown} onChange={(event) => setText(event.target.value)} />
          </Field>
          {editable && <button type="submit" className="button button-primary">Save routing</button>}
        </form>
      )}
      <ErrorBanner error={error} />
      <div aria-live="polite">{saved && <p className="notice">Routing saved.</p>}</div>
    </section>
  );
}
