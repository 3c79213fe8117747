import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { ApiError } from '../api/client';
import { asApiError } from '../use-load';
import { ErrorBanner } from './ui';

export interface ConfirmAction {
  /** The button that opens the dialog. */
  label: string;
  title: string;
  /** What will happen, in words. */
  body: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  /**
   * Runs with the Idempotency-Key made when the dialog opened: a double click, or a retry after
   * an error, is the same operation and never a second one.
   */
  run: (idempotencyKey: string) => Promise<void>;
  onDone?: () => void;
  disabled?: boolean;
}

/** A button that asks first, in a modal <dialog> (focus trapped, Escape cancels). */
export function ConfirmButton({ label, title, body, confirmLabel, danger, run, onDone, disabled }: ConfirmAction) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  useEffect(() => {
    if (open && dialog.current && !dialog.current.open) dialog.current.showModal();
    if (!open && dialog.current?.open) dialog.current.close();
  }, [open]);

  const start = () => {
    setKey(crypto.randomUUID());
    setError(undefined);
    setOpen(true);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await run(key);
      setOpen(false);
      onDone?.();
    } catch (caught) {
      setError(asApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className={`button ${danger ? 'button-danger' : 'button-primary'}`} onClick={start} disabled={disabled}>
        {label}
      </button>
      <dialog ref={dialog} className="dialog" aria-labelledby={`${key}-title`} onClose={() => setOpen(false)}>
        {open && (
          <form method="dialog" onSubmit={(event) => void submit(event)}>
            <h2 id={`${key}-title`}>{title}</h2>
            <div className="dialog-body">{body}</div>
            <ErrorBanner error={error} />
            <div className="dialog-actions">
              <button type="button" className="button" onClick={() => setOpen(false)}>
                Cancel
              </button>
              <button type="submit" className={`button ${danger ? 'button-danger' : 'button-primary'}`} disabled={busy}>
                {busy ? 'Working…' : confirmLabel}
              </button>
            </div>
          </form>
        )}
      </dialog>
    </>
  );
}
