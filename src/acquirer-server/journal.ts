import { closeSync, existsSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import type { LedgerEvent } from './acquirer-ledger.js';

/**
 * The ledger's events as JSON lines, one per change. Written synchronously before the change
 * is applied and answered, so the file never lags what a client was told; not fsynced: this is
 * a rehearsal bank, and surviving a process restart is the point, not a power cut.
 */
export interface Journal {
  /** The events written by earlier runs, oldest first. */
  readonly events: LedgerEvent[];
  append(event: LedgerEvent): void;
  close(): void;
}

export function openJournal(file: string): Journal {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const { events, completeLength } = parseJournal(text);
  // A torn tail would glue itself to the next line written: cut it off.
  if (completeLength < text.length) truncateSync(file, Buffer.byteLength(text.slice(0, completeLength)));
  const fd = openSync(file, 'a', 0o600);
  return {
    events,
    append: (event) => void writeSync(fd, `${JSON.stringify(event)}\n`),
    close: () => closeSync(fd),
  };
}

/**
 * The events of a journal's text, and the length of its complete lines. A last line without
 * its newline (the process died mid-write, so that change was never answered) is left out;
 * an unreadable complete line is an error, not a guess.
 */
export function parseJournal(text: string): { events: LedgerEvent[]; completeLength: number } {
  const completeLength = text.lastIndexOf('\n') + 1;
  const lines = text.slice(0, completeLength).split('\n').slice(0, -1);
  const events = lines.map((line, index) => {
    try {
      return JSON.parse(line) as LedgerEvent;
    } catch (error) {
      throw new Error(`Line ${index + 1} of the acquirer's data file is not JSON`, { cause: error });
    }
  });
  return { events, completeLength };
}
