import { idempotencyScope, MAX_KEY_LENGTH, parseIdempotencyKey, requestFingerprint } from './idempotency-key.js';

describe(parseIdempotencyKey.name, () => {
  describe('bare keys', () => {
    it.each([
      ['8e03978e-40d5-43e8-bc93-6894a57f9324'],
      ['abc'],
      ['a'],
      ['key:with/punctuation!#$%&*+.^_`|~'],
    ])('%s is taken as is', (key) => {
      expect(parseIdempotencyKey(key)).toBe(key);
    });

    it('loses the surrounding whitespace', () => {
      expect(parseIdempotencyKey('  abc\t')).toBe('abc');
    });

    it.each([['ab c'], ['ab\tc'], ['a b'], ['ab\nc']])('refuses whitespace inside (%j)', (key) => {
      expect(parseIdempotencyKey(key)).toBeUndefined();
    });

    it.each([['clé'], ['ключ'], ['a\u0000b'], ['a\u007fb']])('refuses non-ASCII and control characters (%j)', (key) => {
      expect(parseIdempotencyKey(key)).toBeUndefined();
    });
  });

  describe('structured-field strings', () => {
    it.each([
      ['"abc"', 'abc'],
      ['"8e03978e-40d5-43e8"', '8e03978e-40d5-43e8'],
      ['"with space"', 'with space'],
      ['"say \\"hi\\""', 'say "hi"'],
      ['"back\\\\slash"', 'back\\slash'],
      ['"\\\\\\""', '\\"'],
      ['  "abc"  ', 'abc'],
    ])('%s → %s', (header, key) => {
      expect(parseIdempotencyKey(header)).toBe(key);
    });

    it.each([
      ['"abc', 'unterminated'],
      ['"', 'a lone quote'],
      ['"abc\\"', 'terminated only by an escaped quote'],
      ['"abc"def', 'text after the closing quote'],
      ['"ab"c"', 'an unescaped quote inside'],
      ['"a\\nb"', 'an escape other than \\" and \\\\'],
      ['"a\\tb"', 'an escape other than \\" and \\\\'],
      ['"abc\\', 'a trailing backslash'],
      ['"clé"', 'non-ASCII'],
      ['"a\tb"', 'a tab (not in the sf-string alphabet)'],
      ['"a\u007fb"', 'DEL'],
    ])('refuses %s (%s)', (header) => {
      expect(parseIdempotencyKey(header)).toBeUndefined();
    });
  });

  describe('empty', () => {
    it.each([[''], ['   '], ['""'], ['  ""  ']])('%j is refused', (header) => {
      expect(parseIdempotencyKey(header)).toBeUndefined();
    });
  });

  describe('length', () => {
    it('the limit is 255', () => {
      expect(MAX_KEY_LENGTH).toBe(255);
    });

    it('accepts a 255-character bare key', () => {
      const key = 'k'.repeat(255);
      expect(parseIdempotencyKey(key)).toBe(key);
    });

    it('refuses a 256-character bare key', () => {
      expect(parseIdempotencyKey('k'.repeat(256))).toBeUndefined();
    });

    it('accepts a 255-character sf-string (quotes not counted)', () => {
      const key = 'k'.repeat(255);
      expect(parseIdempotencyKey(`"${key}"`)).toBe(key);
    });

    it('refuses a 256-character sf-string', () => {
      expect(parseIdempotencyKey(`"${'k'.repeat(256)}"`)).toBeUndefined();
    });

    it('counts an escape as the one character it stands for', () => {
      expect(parseIdempotencyKey(`"${'\\"'.repeat(255)}"`)).toBe('"'.repeat(255));
      expect(parseIdempotencyKey(`"${'\\\\'.repeat(256)}"`)).toBeUndefined();
    });
  });
});

describe(requestFingerprint.name, () => {
  const secret = 'test-secret-0123456789';
  const body = Buffer.from('{"amount":1050,"card":{"number":"4242424242424242"}}');
  const fingerprint = requestFingerprint(secret, 'POST', '/v1/payments', body);

  it('is stable for equal inputs', () => {
    expect(requestFingerprint(secret, 'POST', '/v1/payments', Buffer.from(body))).toBe(fingerprint);
  });

  it.each([
    ['method', () => requestFingerprint(secret, 'PUT', '/v1/payments', body)],
    ['path', () => requestFingerprint(secret, 'POST', '/v1/payments/pay_1/capture', body)],
    ['body', () => requestFingerprint(secret, 'POST', '/v1/payments', Buffer.from('{"amount":1051}'))],
    ['body (one byte more)', () => requestFingerprint(secret, 'POST', '/v1/payments', Buffer.concat([body, Buffer.from(' ')]))],
    ['secret', () => requestFingerprint('another-secret-0123456789', 'POST', '/v1/payments', body)],
    ['body (none)', () => requestFingerprint(secret, 'POST', '/v1/payments', undefined)],
  ])('differs with another %s', (_what, other) => {
    expect(other()).not.toBe(fingerprint);
  });

  it('treats an undefined body as an empty one', () => {
    expect(requestFingerprint(secret, 'POST', '/v1/payments/pay_1/void', undefined)).toBe(
      requestFingerprint(secret, 'POST', '/v1/payments/pay_1/void', Buffer.alloc(0)),
    );
  });

  it('does not contain the body text (nor the card number)', () => {
    expect(fingerprint).not.toContain('4242424242424242');
    expect(fingerprint).not.toContain('amount');
    expect(fingerprint).not.toContain(body.toString('base64'));
    expect(fingerprint).not.toContain(body.toString('base64url'));
    expect(fingerprint).not.toContain(body.toString('hex'));
  });

  it('is a fixed-length base64url digest whatever the body size', () => {
    expect(fingerprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(requestFingerprint(secret, 'POST', '/v1/payments', Buffer.alloc(100_000, 'x'))).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe(idempotencyScope.name, () => {
  const live = { role: 'merchant', keyId: 'key_L', merchantId: 'mer_A', livemode: true } as const;
  const test = { role: 'merchant', keyId: 'key_T', merchantId: 'mer_A', livemode: false } as const;

  it("is a live key's bare merchant id, as before modes existed", () => {
    expect(idempotencyScope(live)).toBe('mer_A');
  });

  it("differs between a merchant's test and live keys, and from every other merchant's", () => {
    const scopes = [live, test, { ...live, merchantId: 'mer_B' }, { ...test, merchantId: 'mer_B' }, { role: 'admin', keyId: null } as const].map(idempotencyScope);
    expect(new Set(scopes).size).toBe(scopes.length);
  });

  it('is the same for two keys of one merchant and one mode', () => {
    expect(idempotencyScope({ ...test, keyId: 'key_T2' })).toBe(idempotencyScope(test));
  });
});
