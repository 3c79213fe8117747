import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LedgerEvent } from './acquirer-ledger.js';
import { openJournal, parseJournal } from './journal.js';

const answer = (scope: string): LedgerEvent => ({ type: 'answer', scope, status: 201, body: '{}' });
const line = (event: LedgerEvent) => `${JSON.stringify(event)}\n`;

describe(parseJournal.name, () => {
  it('reads one event per line', () => {
    const text = line(answer('a')) + line(answer('b'));
    expect(parseJournal(text)).toEqual({ events: [answer('a'), answer('b')], completeLength: text.length });
  });

  it('leaves out a last line cut short', () => {
    const complete = line(answer('a'));
    expect(parseJournal(`${complete}{"type":"ans`)).toEqual({ events: [answer('a')], completeLength: complete.length });
  });

  it('refuses an unreadable complete line', () => {
    expect(() => parseJournal(`not json\n${line(answer('a'))}`)).toThrow('Line 1');
  });
});

describe(openJournal.name, () => {
  it('appends events that a later run reads back, after cutting a torn tail', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'acquirer-journal-')), 'records.jsonl');
    writeFileSync(file, `${line(answer('a'))}{"type":"ans`);
    const first = openJournal(file);
    expect(first.events).toEqual([answer('a')]);
    first.append(answer('b'));
    first.close();
    expect(readFileSync(file, 'utf8')).toBe(line(answer('a')) + line(answer('b')));
    expect(openJournal(file).events).toEqual([answer('a'), answer('b')]);
  });
});
