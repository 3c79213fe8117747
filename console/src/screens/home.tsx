import { api, unwrap, type Schemas } from '../api/client';
import { BarChart, type Bar } from '../components/bar-chart';
import { Badge, Empty, ErrorBanner, Id, Loading, PageHeader } from '../components/ui';
import { formatDateTime, formatMoney, formatPercent, humanize } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { useLoad } from '../use-load';

const DAY_MS = 86_400_000;

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function Home() {
  const { can } = useSession();
  const todayStart = `${utcDay(new Date())}T00:00:00.000Z`;
  const monthStart = `${utcDay(new Date(Date.now() - 29 * DAY_MS))}T00:00:00.000Z`;
  const today = useLoad(() => unwrap(api.GET('/v1/payments/summary', { params: { query: { created_gte: todayStart } } })), `today-${todayStart}`);
  const month = useLoad(() => unwrap(api.GET('/v1/payments/summary', { params: { query: { created_gte: monthStart } } })), `month-${monthStart}`);
  const pending = useLoad(() => unwrap(api.GET('/v1/payments', { params: { query: { status: 'pending', limit: 5 } } })), 'pending');
  const failing = useLoad(() => unwrap(api.GET('/v1/webhook-deliveries', { params: { query: { status: 'failed', limit: 100 } } })), 'failing');
  return (
    <>
      <PageHeader title="Home" />
      <div className="grid-2">
        <SummaryCard title="Today" loaded={today} />
        <SummaryCard title="Last 30 days" loaded={month} />
      </div>
      <section className="card">
        <h2>Payments per day, last 30 days (UTC)</h2>
        <ErrorBanner error={month.error} />
        {month.data ? <BarChart bars={bars(month.data, monthStart)} caption="payments created per UTC day" /> : month.loading && <Loading />}
      </section>
      <div className="grid-2">
        <section className="card">
          <h2>Pending payments</h2>
          <ErrorBanner error={pending.error} />
          {pending.loading && !pending.data && <Loading />}
          {pending.data && pending.data.data.length === 0 && <Empty>No pending payments.</Empty>}
          {pending.data && pending.data.data.length > 0 && (
            <table className="table">
              <thead>
                <tr><th scope="col">Payment</th><th scope="col" className="num">Amount</th><th scope="col">Created</th></tr>
              </thead>
              <tbody>
                {pending.data.data.map((payment) => (
                  <tr key={payment.id}>
                    <td><Link to={`/payments/${payment.id}`}><Id value={payment.id} /></Link></td>
                    <td className="num">{formatMoney(payment.amount, payment.currency)}</td>
                    <td className="when">{formatDateTime(payment.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {pending.data?.has_more && <Link to="/payments?status=pending">All pending payments →</Link>}
        </section>
        <section className="card">
          <h2>Failing webhook endpoints</h2>
          <ErrorBanner error={failing.error} />
          {failing.loading && !failing.data && <Loading />}
          {failing.data && <FailingEndpoints deliveries={failing.data.data} />}
        </section>
      </div>
      {can.acquirers && <AcquirerHealth />}
    </>
  );
}

function SummaryCard({ title, loaded }: { title: string; loaded: { data?: Schemas['PaymentSummaryResponse']; error?: import('../api/client').ApiError; loading: boolean } }) {
  const summary = loaded.data;
  return (
    <section className="card">
      <h2>{title}</h2>
      <ErrorBanner error={loaded.error} />
      {!summary && loaded.loading && <Loading />}
      {summary && (
        <>
          <div className="metrics">
            <div className="metric">
              <span className="metric-label">Approved volume</span>
              <span className="metric-value">
                {summary.currency_totals.length === 0 ? '—' : summary.currency_totals.map((total) => <span key={total.currency} className="metric-line">{formatMoney(total.amount, total.currency)}</span>)}
              </span>
            </div>
            <div className="metric">
              <span className="metric-label">Approval rate</span>
              <span className="metric-value">{formatPercent(summary.approval_rate)}</span>
            </div>
            <div className="metric">
              <span className="metric-label">Payments</span>
              <span className="metric-value">{Object.values(summary.by_status).reduce((sum, count) => sum + count, 0)}</span>
            </div>
          </div>
          <ul className="status-counts" aria-label={`${title}: payments by status`}>
            {Object.entries(summary.by_status).map(([status, count]) => (
              <li key={status}>
                <Badge status={status} /> <span className="count">{count}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function bars(summary: Schemas['PaymentSummaryResponse'], from: string): Bar[] {
  const byDate = new Map(summary.days.map((day) => [day.date.slice(0, 10), day]));
  const start = new Date(from).getTime();
  return Array.from({ length: 30 }, (_, index) => {
    const date = utcDay(new Date(start + index * DAY_MS));
    const day = byDate.get(date);
    return { label: date, total: day?.count ?? 0, highlighted: day?.approved ?? 0 };
  });
}

function FailingEndpoints({ deliveries }: { deliveries: Schemas['WebhookDeliveryResponse'][] }) {
  const byEndpoint = new Map<string, { count: number; last: Schemas['WebhookDeliveryResponse'] }>();
  for (const delivery of deliveries) {
    const seen = byEndpoint.get(delivery.endpoint_id);
    if (seen) seen.count++;
    else byEndpoint.set(delivery.endpoint_id, { count: 1, last: delivery });
  }
  if (byEndpoint.size === 0) return <Empty>No failed deliveries: every endpoint is answering.</Empty>;
  return (
    <table className="table">
      <thead>
        <tr><th scope="col">Endpoint</th><th scope="col" className="num">Failed</th><th scope="col">Last error</th></tr>
      </thead>
      <tbody>
        {[...byEndpoint].map(([endpointId, { count, last }]) => (
          <tr key={endpointId}>
            <td><Link to={`/webhooks?endpoint=${endpointId}`}><Id value={endpointId} /></Link></td>
            <td className="num">{count}</td>
            <td className="wrap">{last.error ?? (last.response_status ? `HTTP ${last.response_status}` : humanize(last.status))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function AcquirerHealth() {
  const acquirers = useLoad(() => unwrap(api.GET('/v1/admin/acquirers', { params: { query: { limit: 100 } } })), 'acquirers');
  return (
    <section className="card">
      <h2>Acquirers' health</h2>
      <ErrorBanner error={acquirers.error} />
      {acquirers.loading && !acquirers.data && <Loading />}
      {acquirers.data && (
        <table className="table">
          <thead>
            <tr><th scope="col">Acquirer</th><th scope="col">Health</th><th scope="col" className="num">Consecutive failures</th><th scope="col">Down since</th><th scope="col">Enabled</th></tr>
          </thead>
          <tbody>
            {acquirers.data.data.map((acquirer) => (
              <tr key={acquirer.id}>
                <td>{acquirer.name} <Id value={acquirer.id} /></td>
                <td><Badge status={acquirer.health.state} /></td>
                <td className="num">{acquirer.health.consecutive_failures}</td>
                <td className="when">{formatDateTime(acquirer.health.down_since)}</td>
                <td>{acquirer.enabled ? 'Yes' : 'No'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
