import { useState, type FormEvent } from 'react';
import { api, compact, queryString, unwrap } from '../api/client';
import { Empty, ErrorBanner, Field, Id, JsonBlock, Loading, PageHeader, Pager, usePager } from '../components/ui';
import { dayStart, formatDateTime } from '../format';
import { useSession } from '../session';
import { useLoad } from '../use-load';

const EMPTY = { actor_id: '', action: '', target_id: '', from: '', before: '', merchant_id: '' };

/** The actions the gateway records (`noun.verb`), for the filter. */
const ACTIONS = [
  'merchant.create', 'api_key.issue', 'api_key.revoke', 'user.create', 'user.update', 'user.change_password',
  'session.sign_in', 'session.sign_in_failed', 'session.sign_out', 'payment.capture', 'payment.void', 'refund.create',
  'payment.archive', 'payment.archive_bulk', 'webhook_endpoint.create', 'webhook_endpoint.delete', 'webhook_delivery.resend',
  'acquirer.create', 'acquirer.update', 'routing.update',
] as const;

export function Audit() {
  const { can } = useSession();
  const [draft, setDraft] = useState(EMPTY);
  const [applied, setApplied] = useState(EMPTY);
  const pager = usePager();
  const query = compact({
    actor_id: applied.actor_id.trim(),
    action: applied.action,
    target_id: applied.target_id.trim(),
    created_gte: dayStart(applied.from),
    created_lt: dayStart(applied.before),
    // Staff see every merchant's trail and may narrow it to one; a merchant admin sees its own.
    merchant_id: can.staff ? applied.merchant_id.trim() : undefined,
  });
  const events = useLoad(
    () =>
      can.staff
        ? unwrap(api.GET('/v1/admin/audit-events', { params: { query: { ...query, limit: 25, cursor: pager.cursor } } }))
        : unwrap(api.GET('/v1/audit-events', { params: { query: { ...query, limit: 25, cursor: pager.cursor } } })),
    `${can.staff ? 'staff' : 'merchant'}${queryString(query)}|${pager.cursor ?? ''}`,
  );
  const apply = (event: FormEvent) => {
    event.preventDefault();
    pager.reset();
    setApplied(draft);
  };
  const set = (name: keyof typeof EMPTY) => (event: { target: { value: string } }) => setDraft({ ...draft, [name]: event.target.value });

  return (
    <>
      <PageHeader title="Audit trail" />
      <form className="card filters" onSubmit={apply} aria-label="Filter audit events">
        <Field label="Action">
          <select value={draft.action} onChange={set('action')}>
            <option value="">Any</option>
            {ACTIONS.map((action) => <option key={action} value={action}>{action}</option>)}
          </select>
        </Field>
        <Field label="Actor id"><input type="text" className="mono" value={draft.actor_id} onChange={set('actor_id')} /></Field>
        <Field label="Target id"><input type="text" className="mono" value={draft.target_id} onChange={set('target_id')} /></Field>
        <Field label="From (UTC)"><input type="date" value={draft.from} onChange={set('from')} /></Field>
        <Field label="Before (UTC)"><input type="date" value={draft.before} onChange={set('before')} /></Field>
        {can.staff && <Field label="Merchant id"><input type="text" className="mono" value={draft.merchant_id} onChange={set('merchant_id')} /></Field>}
        <div className="form-actions">
          <button type="submit" className="button button-primary">Apply filters</button>
        </div>
      </form>
      <section className="card card-flush">
        <ErrorBanner error={events.error} />
        {events.loading && !events.data && <Loading />}
        {events.data && events.data.data.length === 0 && <Empty>No audit events match these filters.</Empty>}
        {events.data && events.data.data.length > 0 && (
          <table className="table">
            <thead><tr><th scope="col">When</th><th scope="col">Action</th><th scope="col">Actor</th><th scope="col">Target</th><th scope="col">Request</th><th scope="col">Change</th></tr></thead>
            <tbody>
              {events.data.data.map((event) => (
                <tr key={event.id}>
                  <td className="when">{formatDateTime(event.created_at)}</td>
                  <td><code className="mono">{event.action}</code></td>
                  <td className="email"><span className="cell-line">{event.actor.label}</span>{event.actor.label !== event.actor.type.replace(/_/g, ' ') && <span className="cell-line muted small">{event.actor.type.replace(/_/g, ' ')}</span>}</td>
                  <td><span className="cell-line muted small">{event.target.type.replace(/_/g, ' ')}</span><span className="cell-line"><Id value={event.target.id} /></span></td>
                  <td><span className="cell-line"><Id value={event.request_id} /></span>{event.client_ip && <span className="cell-line muted small">{event.client_ip}</span>}</td>
                  <td>
                    {(event.before || event.after) && (
                      <details>
                        <summary>Before / after</summary>
                        <div className="grid-2"><JsonBlock value={event.before} /><JsonBlock value={event.after} /></div>
                      </details>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {events.data && <Pager pager={pager} hasMore={events.data.has_more} nextCursor={events.data.next_cursor} />}
      </section>
    </>
  );
}
