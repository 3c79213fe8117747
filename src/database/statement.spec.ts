import { listStatement } from './statement.js';

describe(listStatement.name, () => {
  it('keeps the conditions present, in order, and numbers their parameters', () => {
    const statement = listStatement('SELECT id FROM t', [['a = $?', 'A'], undefined, false, ['(c, id) < ($?, $?)', 'C', 'I']], ['ORDER BY id LIMIT $?', 11]);
    expect(statement).toEqual({ text: 'SELECT id FROM t WHERE a = $1 AND (c, id) < ($2, $3) ORDER BY id LIMIT $4', values: ['A', 'C', 'I', 11] });
  });

  it('leaves WHERE out without conditions', () => {
    expect(listStatement('SELECT id FROM t', [undefined], ['LIMIT $?', 2])).toEqual({ text: 'SELECT id FROM t LIMIT $1', values: [2] });
  });

  it('keeps a null value as a parameter', () => {
    expect(listStatement('SELECT id FROM t', [['a = $?', null]], ['LIMIT 1']).values).toEqual([null]);
  });

  it('refuses a fragment whose markers and values do not match', () => {
    expect(() => listStatement('SELECT id FROM t', [['a = $?']], ['LIMIT 1'])).toThrow('1 parameters');
    expect(() => listStatement('SELECT id FROM t', [], ['LIMIT 1', 3])).toThrow('0 parameters');
  });
});
