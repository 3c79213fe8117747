import { useState, type FormEvent } from 'react';
import { api, ApiError, unwrap, type Schemas } from '../api/client';
import { ConfirmButton } from '../components/confirm-dialog';
import { Badge, Empty, ErrorBanner, Field, Id, Loading, ModeBadge, PageHeader, ShownOnce } from '../components/ui';
import { formatDateTime } from '../format';
import { navigate, useLocation } from '../router';
import { useSession } from '../session';
import { asApiError, useLoad } from '../use-load';

const EVENTS = ['payment.created', 'payment.authorized', 'payment.captured', 'payment.declined', 'payment.failed', 'payment.voided', 'payment.expired', 'payment.archived', 'refund.succeeded', 'refund.failed'] as const;
type EventName = Schemas['CreateWebhookEndpointDto']['events'][number];

export function Webhooks() {
  const { can } = useSession();
  const location = useLocation();
  const selected = location.query.get('endpoint') ?? undefined;
  const endpoints = useLoad(() => unwrap(api.GET('/v1/webhook-endpoints')), 'endpoints');
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<EventName[]>(['*']);
  const [merchantId, setMerchantId] = useState('');
  const [secret, setSecret] = useState<string | undefined>();
  const [error, setError] = useState<ApiError | undefined>();

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const created = await unwrap(api.POST('/v1/webhook-endpoints', { body: { url, events, merchant_id: can.staff ? merchantId.trim() || undefined : undefined } }));
      setSecret(created.secret);
      setUrl('');
      endpoints.reload();
    } catch (caught) {
      setError(asApiError(caught));
    }
  };
  const toggle = (name: EventName) => setEvents((list) => (list.includes(name) ? list.filter((other) => other !== name) : [...list.filter((other) => other !== '*'), name]));

  return (
    <>
      <PageHeader title="Webhook endpoints" />
      {can.manageWebhooks && (
        <form className="card" onSubmit={(event) => void create(event)}>
          <h2>Add an endpoint</h2>
          <div className="form-grid">
            <Field label="URL (https)">
              <input type="url" required value={url} placeholder="https://example.com/webhooks" onChange={(event) => setUrl(event.target.value)} />
            </Field>
            {can.staff && (
              <Field label="Merchant id">
                <input type="text" className="mono" required value={merchantId} placeholder="mer_…" onChange={(event) => setMerchantId(event.target.value)} />
              </Field>
            )}
          </div>
          <fieldset className="checkboxes">
            <legend>Events</legend>
            <label><input type="checkbox" checked={events.includes('*')} onChange={() => setEvents(events.includes('*') ? [] : ['*'])} /> Every event</label>
            {EVENTS.map((name) => (
              <label key={name}><input type="checkbox" checked={events.includes(name)} onChange={() => toggle(name)} /> {name}</label>
            ))}
          </fieldset>
          <button type="submit" className="button button-primary">Add endpoint</button>
          <ErrorBanner error={error} />
          {secret && <ShownOnce label="Signing secret" value={secret} onDone={() => setSecret(undefined)} />}
        </form>
      )}
      <section className="card card-flush">
        <ErrorBanner error={endpoints.error} />
        {endpoints.loading && !endpoints.data && <Loading />}
        {endpoints.data && endpoints.data.data.length === 0 && <Empty>No webhook endpoints.</Empty>}
        {endpoints.data && endpoints.data.data.length > 0 && (
          <table className="table">
            <thead><tr><th scope="col">URL</th><th scope="col">Status</th><th scope="col">Events</th><th scope="col">Mode</th><th scope="col">Endpoint</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {endpoints.data.data.map((endpoint) => (
                <tr key={endpoint.id} className={endpoint.id === selected ? 'selected' : undefined}>
                  <td className="url">{endpoint.url}</td>
                  <td><Badge status={endpoint.status} /></td>
                  <td className="wrap">{endpoint.events.join(', ')}</td>
                  <td><ModeBadge livemode={endpoint.livemode} /></td>
                  <td><Id value={endpoint.id} /></td>
                  <td className="row-actions">
                    <button type="button" className="button" aria-pressed={endpoint.id === selected} onClick={() => navigate(`/webhooks?endpoint=${endpoint.id}`)}>Deliveries</button>
                    {can.manageWebhooks && (
                      <ConfirmButton
                        label="Delete"
                        title="Delete this endpoint"
                        confirmLabel="Delete endpoint"
                        danger
                        body={<p>{endpoint.url} receives no more events.</p>}
                        run={async () => {
                          await unwrap(api.DELETE('/v1/webhook-endpoints/{id}', { params: { path: { id: endpoint.id } } }));
                        }}
                        onDone={endpoints.reload}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {selected && <Deliveries key={selected} endpointId={selected} resend={can.manageWebhooks} />}
    </>
  );
}

function Deliveries({ endpointId, resend }: { endpointId: string; resend: boolean }) {
  const deliveries = useLoad(() => unwrap(api.GET('/v1/webhook-endpoints/{id}/deliveries', { params: { path: { id: endpointId } } })), endpointId);
  return (
    <section className="card card-flush" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title" className="card-title">Deliveries of <code className="mono">{endpointId}</code></h2>
      <ErrorBanner error={deliveries.error} />
      {deliveries.loading && !deliveries.data && <Loading />}
      {deliveries.data && deliveries.data.data.length === 0 && <Empty>No deliveries yet.</Empty>}
      {deliveries.data && deliveries.data.data.length > 0 && (
        <table className="table">
          <thead><tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col" className="num">Attempts</th><th scope="col">Last answer</th><th scope="col">Next attempt</th><th scope="col">Created</th>{resend && <th scope="col"><span className="visually-hidden">Actions</span></th>}</tr></thead>
          <tbody>
            {deliveries.data.data.map((delivery) => (
              <tr key={delivery.id}>
                <td><span className="cell-line">{delivery.event_type}</span><span className="cell-line"><Id value={delivery.id} /></span></td>
                <td><Badge status={delivery.status} /></td>
                <td className="num">{delivery.attempt}</td>
                <td className="wrap">{delivery.error ?? (delivery.response_status ? `HTTP ${delivery.response_status}` : '—')}</td>
                <td className="when wrap-date">{formatDateTime(delivery.next_attempt_at)}</td>
                <td className="when wrap-date">{formatDateTime(delivery.created_at)}</td>
                {resend && (
                  <td className="row-actions">
                    <ConfirmButton
                      label="Resend"
                      title="Resend this delivery"
                      confirmLabel="Resend"
                      body={<p>The event {delivery.event_type} is sent again to the endpoint now.</p>}
                      run={async () => {
                        await unwrap(api.POST('/v1/webhook-endpoints/{id}/deliveries/{delivery_id}/resend', { params: { path: { id: endpointId, delivery_id: delivery.id } } }));
                      }}
                      onDone={deliveries.reload}
                    />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
