import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { ConfirmButton } from '../components/confirm-dialog';
import { Field, PageHeader } from '../components/ui';
import { dayStart } from '../format';

export function Archive() {
  const [before, setBefore] = useState('');
  const [merchantId, setMerchantId] = useState('');
  const [result, setResult] = useState<number | undefined>();
  const createdLt = dayStart(before);
  return (
    <>
      <PageHeader title="Bulk archive" />
      <section className="card">
        <p>
          Archives every payment created before the date (UTC), of one merchant or of all, that a single archive would accept: pending and authorised
          payments stay, money may still move. Archived payments leave the lists; they stay readable by id, and refundable.
        </p>
        <div className="form-grid">
          <Field label="Created before (UTC)">
            <input type="date" name="created_lt" required value={before} onChange={(event) => setBefore(event.target.value)} />
          </Field>
          <Field label="Merchant id (optional)" hint="Empty: every merchant">
            <input type="text" name="merchant_id" className="mono" placeholder="mer_…" value={merchantId} onChange={(event) => setMerchantId(event.target.value)} />
          </Field>
          <div className="form-actions">
            <ConfirmButton
              label="Archive…"
              title="Archive payments"
              confirmLabel="Archive them"
              danger
              disabled={!createdLt}
              body={
                <p>
                  Archive every archivable payment created before <strong>{before}</strong> (UTC) of{' '}
                  {merchantId ? <code className="mono">{merchantId}</code> : 'every merchant'}?
                </p>
              }
              run={async (key) => {
                setResult(undefined);
                const answer = await unwrap(
                  api.POST('/v1/admin/payments/archive', {
                    body: { created_lt: createdLt!, merchant_id: merchantId.trim() || undefined },
                    headers: { 'Idempotency-Key': key },
                  }),
                );
                setResult(answer.archived);
              }}
            />
          </div>
        </div>
        <div aria-live="polite">
          {result !== undefined && (
            <p className="notice" data-testid="archived-count">
              {result === 0 ? 'Nothing to archive: no archivable payment matched.' : `${result} payment${result === 1 ? '' : 's'} archived.`}
            </p>
          )}
        </div>
      </section>
    </>
  );
}
