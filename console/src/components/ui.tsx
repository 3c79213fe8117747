import { useState, type ReactNode } from 'react';
import type { ApiError } from '../api/client';
import { humanize } from '../format';

/** An API error as a person reads it: the message, the code and field, and the request id to quote to support. */
export function ErrorBanner({ error }: { error: ApiError | undefined }) {
  return (
    <div className="live-region" aria-live="assertive" role="alert">
      {error && (
        <div className="error-banner">
          <strong>{error.message}</strong>
          <span className="error-meta">
            {error.code}
            {error.param && <> · field <code>{error.param}</code></>}
            {error.requestId && <> · request <code className="mono">{error.requestId}</code></>}
          </span>
        </div>
      )}
    </div>
  );
}

export function Loading({ what = 'Loading…' }: { what?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {what}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

const BADGE_TONES: Record<string, string> = {
  captured: 'success', succeeded: 'success', approved: 'success', up: 'success', enabled: 'success', active: 'info',
  authorized: 'info', pending: 'warning', probing: 'warning', partially_refunded: 'neutral', refunded: 'neutral',
  voided: 'neutral', finished: 'neutral', archived: 'neutral', expired: 'neutral', disabled: 'neutral', revoked: 'neutral',
  declined: 'danger', failed: 'danger', down: 'danger', error: 'danger', unknown: 'warning', not_processed: 'neutral', skipped: 'neutral',
  live: 'live', test: 'test',
};

/** A status with its colour and its word: colour alone says nothing to some readers. */
export function Badge({ status }: { status: string }) {
  return <span className={`badge badge-${BADGE_TONES[status] ?? 'neutral'}`}>{humanize(status)}</span>;
}

export function ModeBadge({ livemode }: { livemode: boolean }) {
  return <Badge status={livemode ? 'live' : 'test'} />;
}

/**
 * An id, whole in the text (copying it copies all of it); in a table, shortened in the middle when
 * narrow, its end always shown: ids made the same second share their start.
 */
export function Id({ value }: { value: string | null | undefined }) {
  if (!value) return <span className="muted">—</span>;
  const split = Math.max(0, value.length - 6);
  return (
    <code className="mono id" title={value}>
      <span className="id-head">{value.slice(0, split)}</span>
      <span className="id-tail">{value.slice(split)}</span>
    </code>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="page-header">
      <h1>{title}</h1>
      {children && <div className="page-actions">{children}</div>}
    </div>
  );
}

/** Keyset pages: the cursors seen so far make Previous possible. */
export function usePager(): { cursor: string | undefined; pageNumber: number; next: (cursor: string) => void; previous: () => void; reset: () => void } {
  const [cursors, setCursors] = useState<string[]>([]);
  return {
    cursor: cursors.at(-1),
    pageNumber: cursors.length + 1,
    next: (cursor) => setCursors((list) => [...list, cursor]),
    previous: () => setCursors((list) => list.slice(0, -1)),
    reset: () => setCursors([]),
  };
}

export function Pager({ pager, hasMore, nextCursor }: { pager: ReturnType<typeof usePager>; hasMore: boolean | undefined; nextCursor: string | null | undefined }) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" className="button" disabled={pager.pageNumber === 1} onClick={pager.previous}>
        ← Previous
      </button>
      <span className="muted">Page {pager.pageNumber}</span>
      <button type="button" className="button" disabled={!hasMore || !nextCursor} onClick={() => nextCursor && pager.next(nextCursor)}>
        Next →
      </button>
    </nav>
  );
}

/** A secret the API shows once (an API key, a webhook secret, a generated password), with a copy button. */
export function ShownOnce({ label, value, onDone }: { label: string; value: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="shown-once" role="status">
      <p>
        <strong>{label}</strong> — copy it now: it is shown this once and cannot be read again.
      </p>
      <div className="secret-row">
        <code className="mono secret" data-testid="secret">{value}</code>
        <button
          type="button"
          className="button"
          onClick={() => {
            navigator.clipboard.writeText(value).then(() => setCopied(true), () => setCopied(false));
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="button button-quiet" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

export function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      {children}
      {hint && <span className="field-hint">{hint}</span>}
    </label>
  );
}

export function JsonBlock({ value }: { value: unknown }) {
  return <pre className="json">{JSON.stringify(value, null, 2)}</pre>;
}
