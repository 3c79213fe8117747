import { ID_PREFIXES, isId, newId, type IdKind } from './ids.js';

const kinds = Object.keys(ID_PREFIXES) as IdKind[];

describe(newId.name, () => {
  it.each<[IdKind, string]>([
    ['payment', 'pay_'],
    ['merchant', 'mer_'],
    ['apiKey', 'key_'],
    ['refund', 're_'],
    ['event', 'evt_'],
    ['webhookEndpoint', 'we_'],
    ['request', 'req_'],
  ])('a %s id starts with %s and is recognised by isId', (kind, prefix) => {
    const id = newId(kind);
    expect(id.startsWith(prefix)).toBe(true);
    expect(id).toHaveLength(prefix.length + 26);
    expect(isId(kind, id)).toBe(true);
  });

  it('ids are unique and sort by creation order', () => {
    const ids = Array.from({ length: 100 }, () => newId('payment'));
    expect(new Set(ids).size).toBe(100);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe(isId.name, () => {
  const body = '01JQ8Z6X4R5T7V9W0Y2A3B4C5D';

  it('accepts a well-formed id of its kind', () => {
    expect(isId('payment', `pay_${body}`)).toBe(true);
  });

  it.each([
    ['another kind', `mer_${body}`],
    ['no prefix', body],
    ['a wrong separator', `pay-${body}`],
    ['a short body', `pay_${body.slice(1)}`],
    ['a long body', `pay_${body}0`],
    ['lower case', `pay_${body.toLowerCase()}`],
    ['a letter outside Crockford base32 (I)', `pay_${body.slice(0, 25)}I`],
    ['a letter outside Crockford base32 (U)', `pay_${body.slice(0, 25)}U`],
    ['surrounding text', ` pay_${body}`],
    ['an empty string', ''],
  ])('refuses %s as a payment id', (_label, value) => {
    expect(isId('payment', value)).toBe(false);
  });

  it('no kind accepts the ids of another', () => {
    for (const kind of kinds) {
      for (const other of kinds) {
        expect(isId(kind, newId(other))).toBe(kind === other);
      }
    }
  });
});
