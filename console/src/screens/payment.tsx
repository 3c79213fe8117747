import { useState } from 'react';
import { api, unwrap, type Schemas } from '../api/client';
import { ConfirmButton } from '../components/confirm-dialog';
import { Badge, Empty, ErrorBanner, Field, Id, JsonBlock, Loading, ModeBadge, PageHeader } from '../components/ui';
import { formatDateTime, formatMoney, humanize, parseMajor, toMajorText } from '../format';
import { Link } from '../router';
import { useSession } from '../session';
import { useLoad } from '../use-load';

type Payment = Schemas['PaymentResponse'];

export function PaymentDetail({ id }: { id: string }) {
  const { can } = useSession();
  const path = { params: { path: { id } } };
  const payment = useLoad(() => unwrap(api.GET('/v1/payments/{id}', path)), id);
  const events = useLoad(() => unwrap(api.GET('/v1/payments/{id}/events', path)), id);
  const refunds = useLoad(() => unwrap(api.GET('/v1/payments/{id}/refunds', path)), id);
  const attempts = useLoad(() => unwrap(api.GET('/v1/payments/{id}/attempts', path)), id);
  const reloadAll = () => {
    payment.reload();
    events.reload();
    refunds.reload();
    attempts.reload();
  };

  if (!payment.data) {
    return (
      <>
        <PageHeader title="Payment" />
        <ErrorBanner error={payment.error} />
        {payment.loading && <Loading what="Loading the payment…" />}
      </>
    );
  }
  const p = payment.data;
  return (
    <>
      <p className="breadcrumb"><Link to="/payments">Payments</Link> / <code className="mono">{p.id}</code></p>
      <PageHeader title={formatMoney(p.amount, p.currency)}>
        {can.paymentActions && <PaymentActions key={`${p.status}-${p.amount_refunded}`} payment={p} onDone={reloadAll} archive={can.archive} />}
      </PageHeader>
      <p className="subtitle">
        <Badge status={p.status} /> <Badge status={p.history_status} /> <ModeBadge livemode={p.livemode} /> <Id value={p.id} />
      </p>
      <ErrorBanner error={payment.error} />
      <div className="grid-2">
        <section className="card">
          <h2>Amounts</h2>
          <dl className="facts">
            <dt>Amount</dt><dd className="num">{formatMoney(p.amount, p.currency)}</dd>
            <dt>Captured</dt><dd className="num">{formatMoney(p.amount_captured, p.currency)}</dd>
            <dt>Refunded</dt><dd className="num">{formatMoney(p.amount_refunded, p.currency)}</dd>
            <dt>Net</dt><dd className="num">{formatMoney(p.amount_captured - p.amount_refunded, p.currency)}</dd>
          </dl>
        </section>
        <section className="card">
          <h2>Card</h2>
          <dl className="facts">
            <dt>Card</dt><dd className="card-summary">{p.card.brand} •••• {p.card.last4}</dd>
            <dt>Expires</dt><dd>{String(p.card.expiry_month).padStart(2, '0')}/{p.card.expiry_year}</dd>
            <dt>Holder</dt><dd>{p.card.holder_name ?? '—'}</dd>
            <dt>BIN</dt><dd className="mono">{p.card.bin}</dd>
            <dt>Fingerprint</dt><dd><Id value={p.card.fingerprint} /></dd>
          </dl>
        </section>
      </div>
      <section className="card">
        <h2>Details</h2>
        <dl className="facts facts-wide">
          <dt>Merchant</dt><dd>{can.merchants ? <Link to={`/merchants/${p.merchant_id}`}><Id value={p.merchant_id} /></Link> : <Id value={p.merchant_id} />}</dd>
          <dt>Reference</dt><dd>{p.reference ?? '—'}</dd>
          <dt>Description</dt><dd>{p.description ?? '—'}</dd>
          <dt>Acquirer</dt><dd><Id value={p.acquirer_id} /></dd>
          <dt>Bank reference</dt><dd><Id value={p.bank_reference} /></dd>
          {p.decline_code && <><dt>Decline code</dt><dd>{p.decline_code}</dd></>}
          {p.failure_reason && <><dt>Failure</dt><dd>{p.failure_reason}</dd></>}
          <dt>Created</dt><dd>{formatDateTime(p.created_at)}</dd>
          <dt>Updated</dt><dd>{formatDateTime(p.updated_at)}</dd>
          {Object.keys(p.metadata).length > 0 && <><dt>Metadata</dt><dd><JsonBlock value={p.metadata} /></dd></>}
        </dl>
      </section>
      <section className="card card-flush" aria-labelledby="refunds-title">
        <h2 id="refunds-title" className="card-title">Refunds</h2>
        <ErrorBanner error={refunds.error} />
        {refunds.data && refunds.data.data.length === 0 && <Empty>No refunds.</Empty>}
        {refunds.data && refunds.data.data.length > 0 && (
          <table className="table">
            <thead><tr><th scope="col" className="num">Amount</th><th scope="col">Status</th><th scope="col">Refund</th><th scope="col">Reason</th><th scope="col">Created</th></tr></thead>
            <tbody>
              {refunds.data.data.map((refund) => (
                <tr key={refund.id}>
                  <td className="num">{formatMoney(refund.amount, p.currency)}</td>
                  <td><Badge status={refund.status} /></td>
                  <td><Id value={refund.id} /></td>
                  <td className="wrap">{refund.reason ?? refund.failure_reason ?? '—'}</td>
                  <td className="when">{formatDateTime(refund.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <div className="grid-2">
        <section className="card" aria-labelledby="timeline-title">
          <h2 id="timeline-title">Timeline</h2>
          <ErrorBanner error={events.error} />
          {events.data && events.data.data.length === 0 && <Empty>No events yet.</Empty>}
          {events.data && (
            <ol className="timeline">
              {[...events.data.data].reverse().map((event) => (
                <li key={event.id}>
                  <span className="timeline-type">{event.type}</span>
                  <span className="muted">{formatDateTime(event.created_at)}</span>
                  <EventSummary event={event} currency={p.currency} />
                </li>
              ))}
            </ol>
          )}
        </section>
        <section className="card card-flush" aria-labelledby="attempts-title">
          <h2 id="attempts-title" className="card-title">Acquirer attempts</h2>
          <ErrorBanner error={attempts.error} />
          {attempts.data && attempts.data.data.length === 0 && <Empty>No attempts recorded.</Empty>}
          {attempts.data && attempts.data.data.length > 0 && (
            <table className="table">
              <thead><tr><th scope="col">Acquirer</th><th scope="col">Outcome</th><th scope="col" className="num">Time</th><th scope="col">When</th></tr></thead>
              <tbody>
                {attempts.data.data.map((attempt) => (
                  <tr key={attempt.id}>
                    <td><Id value={attempt.acquirer_id} /></td>
                    <td><Badge status={attempt.outcome} /> {attempt.decline_code ?? attempt.error ?? ''}</td>
                    <td className="num">{attempt.duration_ms} ms</td>
                    <td className="when">{formatDateTime(attempt.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </>
  );
}

function EventSummary({ event, currency }: { event: Schemas['PaymentEventResponse']; currency: string }) {
  const data = event.data as Record<string, unknown>;
  const amount = typeof data.amount === 'number' ? formatMoney(data.amount, currency) : undefined;
  const status = typeof data.status === 'string' ? humanize(data.status) : undefined;
  if (!amount && !status) return null;
  return <span className="timeline-detail">{[status, amount].filter(Boolean).join(' · ')}</span>;
}

function PaymentActions({ payment, onDone, archive }: { payment: Payment; onDone: () => void; archive: boolean }) {
  const id = payment.id;
  const refundable = payment.amount_captured - payment.amount_refunded;
  const [refundText, setRefundText] = useState(toMajorText(refundable, payment.currency));
  const [reason, setReason] = useState('');
  const [captureText, setCaptureText] = useState(toMajorText(payment.amount, payment.currency));
  const headers = (key: string) => ({ 'Idempotency-Key': key });
  return (
    <div className="actions">
      {payment.status === 'authorized' && (
        <>
          <ConfirmButton
            label="Capture"
            title="Capture this payment"
            confirmLabel="Capture"
            body={
              <Field label={`Amount to capture (${payment.currency})`} hint={`Up to ${formatMoney(payment.amount, payment.currency)}`}>
                <input type="text" inputMode="decimal" value={captureText} onChange={(event) => setCaptureText(event.target.value)} />
              </Field>
            }
            run={async (key) => {
              const amount = parseMajor(captureText, payment.currency);
              if (amount === undefined) throw new Error(`“${captureText}” is not an amount in ${payment.currency}`);
              await unwrap(api.POST('/v1/payments/{id}/capture', { params: { path: { id } }, body: { amount }, headers: headers(key) }));
            }}
            onDone={onDone}
          />
          <ConfirmButton
            label="Void"
            title="Void this payment"
            confirmLabel="Void"
            danger
            body={<p>The authorisation of {formatMoney(payment.amount, payment.currency)} is released; nothing will be charged.</p>}
            run={async (key) => {
              await unwrap(api.POST('/v1/payments/{id}/void', { params: { path: { id } }, headers: headers(key) }));
            }}
            onDone={onDone}
          />
        </>
      )}
      {(payment.status === 'captured' || payment.status === 'partially_refunded') && refundable > 0 && (
        <ConfirmButton
          label="Refund"
          title="Refund this payment"
          confirmLabel="Refund"
          danger
          body={
            <>
              <Field label={`Amount to refund (${payment.currency})`} hint={`Up to ${formatMoney(refundable, payment.currency)}`}>
                <input type="text" inputMode="decimal" name="refund_amount" value={refundText} onChange={(event) => setRefundText(event.target.value)} />
              </Field>
              <Field label="Reason (optional)">
                <input type="text" value={reason} onChange={(event) => setReason(event.target.value)} />
              </Field>
            </>
          }
          run={async (key) => {
            const amount = parseMajor(refundText, payment.currency);
            if (amount === undefined) throw new Error(`“${refundText}” is not an amount in ${payment.currency}`);
            await unwrap(api.POST('/v1/payments/{id}/refunds', { params: { path: { id } }, body: { amount, reason: reason || undefined }, headers: headers(key) }));
          }}
          onDone={onDone}
        />
      )}
      {archive && payment.history_status !== 'archived' && payment.status !== 'pending' && payment.status !== 'authorized' && (
        <ConfirmButton
          label="Archive"
          title="Archive this payment"
          confirmLabel="Archive"
          body={<p>It leaves the lists (unless asked for archived payments); it stays readable by id, and refundable.</p>}
          run={async (key) => {
            await unwrap(api.POST('/v1/admin/payments/{id}/archive', { params: { path: { id } }, headers: headers(key) }));
          }}
          onDone={onDone}
        />
      )}
    </div>
  );
}
