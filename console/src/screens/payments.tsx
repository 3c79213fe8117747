import { useEffect, useState, type FormEvent } from 'react';
import { api, compact, queryString, unwrap, type Schemas } from '../api/client';
import { Badge, Empty, ErrorBanner, Field, Id, Loading, ModeBadge, PageHeader, Pager, usePager } from '../components/ui';
import { dayStart, formatDateTime, formatMoney } from '../format';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { useLoad } from '../use-load';

const STATUSES: Schemas['PaymentResponse']['status'][] = ['pending', 'authorized', 'captured', 'declined', 'failed', 'voided', 'partially_refunded', 'refunded'];
const HISTORY_STATUSES: Schemas['PaymentResponse']['history_status'][] = ['active', 'finished', 'expired', 'archived'];
const FILTERS = ['status', 'history_status', 'from', 'before', 'reference', 'merchant_id', 'livemode'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

function filtersFrom(query: URLSearchParams): Filters {
  return Object.fromEntries(FILTERS.map((name) => [name, query.get(name) ?? ''])) as Filters;
}

/** The API's query for these filters: dates (yyyy-mm-dd, UTC days) become created_gte / created_lt. */
function apiQuery(filters: Filters, staff: boolean) {
  return compact({
    status: filters.status,
    history_status: filters.history_status,
    created_gte: dayStart(filters.from),
    created_lt: dayStart(filters.before),
    reference: filters.reference,
    merchant_id: staff ? filters.merchant_id : undefined,
    livemode: filters.livemode,
  });
}

export function Payments() {
  const { can } = useSession();
  const location = useLocation();
  const applied = filtersFrom(location.query);
  const [draft, setDraft] = useState<Filters>(applied);
  const pager = usePager();
  const query = apiQuery(applied, can.staff);
  const queryKey = queryString(query);
  useEffect(() => {
    setDraft(filtersFrom(new URLSearchParams(queryKey)));
    pager.reset();
  }, [location.query.toString()]);

  const list = useLoad(
    () => unwrap(api.GET('/v1/payments', { params: { query: { ...(query as Record<string, string>), limit: 25, cursor: pager.cursor } } })),
    `${queryKey}|${pager.cursor ?? ''}`,
  );

  const apply = (event: FormEvent) => {
    event.preventDefault();
    navigate(`/payments${queryString(draft)}`);
  };
  const set = (name: keyof Filters) => (event: { target: { value: string } }) => setDraft({ ...draft, [name]: event.target.value });

  return (
    <>
      <PageHeader title="Payments">
        <a className="button" href={`/v1/payments/export.csv${queryKey}`} download="payments.csv">
          Export CSV
        </a>
      </PageHeader>
      <form className="card filters" onSubmit={apply} aria-label="Filter payments">
        <Field label="Status">
          <select value={draft.status} onChange={set('status')}>
            <option value="">Any</option>
            {STATUSES.map((status) => <option key={status} value={status}>{status.replace(/_/g, ' ')}</option>)}
          </select>
        </Field>
        <Field label="History">
          <select value={draft.history_status} onChange={set('history_status')}>
            <option value="">Not archived</option>
            {HISTORY_STATUSES.map((status) => <option key={status} value={status}>{status}</option>)}
          </select>
        </Field>
        <Field label="Created from (UTC)">
          <input type="date" name="from" value={draft.from} onChange={set('from')} />
        </Field>
        <Field label="Created before (UTC)">
          <input type="date" name="before" value={draft.before} onChange={set('before')} />
        </Field>
        <Field label="Reference">
          <input type="text" name="reference" value={draft.reference} onChange={set('reference')} />
        </Field>
        {can.staff && (
          <Field label="Merchant id">
            <input type="text" name="merchant_id" className="mono" placeholder="mer_…" value={draft.merchant_id} onChange={set('merchant_id')} />
          </Field>
        )}
        <Field label="Mode">
          <select value={draft.livemode} onChange={set('livemode')}>
            <option value="">Live and test</option>
            <option value="true">Live</option>
            <option value="false">Test</option>
          </select>
        </Field>
        <div className="form-actions">
          <button type="submit" className="button button-primary">Apply filters</button>
          <button type="button" className="button button-quiet" onClick={() => navigate('/payments')}>Clear</button>
        </div>
      </form>
      <section className="card card-flush">
        <ErrorBanner error={list.error} />
        {list.loading && !list.data && <Loading what="Loading payments…" />}
        {list.data && list.data.data.length === 0 && <Empty>No payments match these filters.</Empty>}
        {list.data && list.data.data.length > 0 && <PaymentTable payments={list.data.data} showMerchant={can.staff} />}
        {list.data && <Pager pager={pager} hasMore={list.data.has_more} nextCursor={list.data.next_cursor} />}
      </section>
    </>
  );
}

export function PaymentTable({ payments, showMerchant }: { payments: Schemas['PaymentResponse'][]; showMerchant: boolean }) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col" className="num">Amount</th>
          <th scope="col">Status</th>
          <th scope="col">Payment</th>
          <th scope="col">Card</th>
          <th scope="col">Reference</th>
          {showMerchant && <th scope="col">Merchant</th>}
          <th scope="col">Mode</th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {payments.map((payment) => (
          <tr key={payment.id}>
            <td className="num amount">{formatMoney(payment.amount, payment.currency)} <span className="currency">{payment.currency}</span></td>
            <td><Badge status={payment.status} />{payment.history_status === 'archived' && <> <Badge status="archived" /></>}</td>
            <td><Link to={`/payments/${payment.id}`}><Id value={payment.id} /></Link></td>
            <td className="card-summary">{payment.card.brand} <span className="nowrap">•••• {payment.card.last4}</span></td>
            <td className="free-text">{payment.reference ?? <span className="muted">—</span>}</td>
            {showMerchant && <td><Id value={payment.merchant_id} /></td>}
            <td><ModeBadge livemode={payment.livemode} /></td>
            <td className="when">{formatDateTime(payment.created_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
