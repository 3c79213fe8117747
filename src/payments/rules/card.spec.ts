import {
  cardFingerprint,
  cardNumberProblem,
  cvvLength,
  detectBrand,
  isExpired,
  normalizeCardNumber,
  passesLuhn,
  type CardBrand,
} from './card.js';

describe(normalizeCardNumber.name, () => {
  it.each([
    ['4242424242424242', '4242424242424242'],
    ['4242 4242 4242 4242', '4242424242424242'],
    ['4242-4242-4242-4242', '4242424242424242'],
    [' 4242 - 4242 4242 4242 ', '4242424242424242'],
  ])('normalizes %j to %j', (input, expected) => {
    expect(normalizeCardNumber(input)).toBe(expected);
  });

  it.each(['4242 4242 4242 424a', '4242\t4242\t4242\t4242', 'abcd', '4242.4242.4242.4242', '4242_4242', '', ' - '])(
    'refuses %j',
    (input) => {
      expect(normalizeCardNumber(input)).toBeUndefined();
    },
  );
});

describe(passesLuhn.name, () => {
  it.each(['4242424242424242', '5555555555554444', '378282246310005', '6011111111111117', '79927398713'])(
    'accepts %s',
    (digits) => {
      expect(passesLuhn(digits)).toBe(true);
    },
  );

  it.each(['4242424242424241', '5555555555554445', '79927398710', '1234567812345678'])('refuses %s', (digits) => {
    expect(passesLuhn(digits)).toBe(false);
  });
});

describe(cardNumberProblem.name, () => {
  it.each([
    ['12 digits', '400000000002'],
    ['16 digits', '4242424242424242'],
    ['16 digits with spaces', '4242 4242 4242 4242'],
    ['19 digits', '4000000000000000006'],
  ])('accepts %s', (_label, number) => {
    expect(cardNumberProblem(number)).toBeUndefined();
  });

  it.each([
    ['11 digits', '40000000006', 'card.number must have 12 to 19 digits'],
    ['20 digits', '40000000000000000002', 'card.number must have 12 to 19 digits'],
    ['letters', '4242 4242 4242 abcd', 'card.number must contain only digits, spaces and dashes'],
    ['a Luhn failure', '4242424242424241', 'card.number fails the Luhn check'],
  ])('refuses %s', (_label, number, problem) => {
    expect(cardNumberProblem(number)).toBe(problem);
  });
});

describe(detectBrand.name, () => {
  it.each<[string, CardBrand]>([
    ['4242424242424242', 'visa'],
    ['4000000000000002', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['5105105105105100', 'mastercard'],
    ['2221000000000009', 'mastercard'],
    ['2720990000000000', 'mastercard'],
    ['2220990000000000', 'unknown'],
    ['2721000000000000', 'unknown'],
    ['378282246310005', 'amex'],
    ['341111111111111', 'amex'],
    ['6011111111111117', 'discover'],
    ['6500000000000002', 'discover'],
    ['6440000000000000', 'discover'],
    ['6490000000000000', 'discover'],
    ['6430000000000000', 'unknown'],
    ['30000000000004', 'diners'],
    ['30500000000000', 'diners'],
    ['30600000000000', 'unknown'],
    ['36227206271667', 'diners'],
    ['38000000000006', 'diners'],
    ['39000000000000', 'diners'],
    ['3528000000000000', 'jcb'],
    ['3589000000000000', 'jcb'],
    ['3527000000000000', 'unknown'],
    ['3590000000000000', 'unknown'],
    ['6200000000000005', 'unionpay'],
    ['9000000000000000', 'unknown'],
    ['1000000000000000', 'unknown'],
  ])('%s is %s', (digits, brand) => {
    expect(detectBrand(digits)).toBe(brand);
  });
});

describe(cvvLength.name, () => {
  it('is 4 for amex', () => {
    expect(cvvLength('amex')).toBe(4);
  });

  it.each<CardBrand>(['visa', 'mastercard', 'discover', 'diners', 'jcb', 'unionpay', 'unknown'])('is 3 for %s', (brand) => {
    expect(cvvLength(brand)).toBe(3);
  });
});

describe(isExpired.name, () => {
  const now = new Date('2025-06-15T12:00:00Z');

  it.each([
    ['the current month', 6, 2025, false],
    ['the next month', 7, 2025, false],
    ['a later year', 1, 2030, false],
    ['the previous month', 5, 2025, true],
    ['the same month last year', 6, 2024, true],
  ])('expiry in %s (%i/%i) → expired %s', (_label, month, year, expired) => {
    expect(isExpired(month, year, now)).toBe(expired);
  });

  it('December of last year is expired in January', () => {
    expect(isExpired(12, 2024, new Date('2025-01-01T00:00:00Z'))).toBe(true);
  });

  it('January of next year is not expired in December', () => {
    expect(isExpired(1, 2026, new Date('2025-12-31T23:59:59Z'))).toBe(false);
  });

  it('the expiry month is valid until its last UTC millisecond', () => {
    expect(isExpired(1, 2025, new Date('2025-01-31T23:59:59.999Z'))).toBe(false);
    expect(isExpired(1, 2025, new Date('2025-02-01T00:00:00.000Z'))).toBe(true);
  });

  describe('judged in UTC, never in local time', () => {
    /**
     * The instant `iso`, whose local-time getters answer as a host clock set to UTC+offset
     * would (jest cannot switch the process time zone mid-run): an implementation reading
     * local time instead of UTC gets the other month.
     */
    function seenFromZone(iso: string, offsetHours: number): Date {
      const date = new Date(iso);
      const local = new Date(date.getTime() + offsetHours * 3_600_000);
      date.getFullYear = () => local.getUTCFullYear();
      date.getMonth = () => local.getUTCMonth();
      date.getDate = () => local.getUTCDate();
      date.getHours = () => local.getUTCHours();
      date.getTimezoneOffset = () => -offsetHours * 60;
      return date;
    }

    it('late on the last day of the month in UTC, already the next month ahead of UTC: not expired', () => {
      const moment = seenFromZone('2025-01-31T22:00:00Z', +14); // 2025-02-01 12:00 on the host clock
      expect(moment.getMonth()).toBe(1);
      expect(isExpired(1, 2025, moment)).toBe(false);
    });

    it('late on New Year\'s Eve in UTC, already next year ahead of UTC: not expired', () => {
      const moment = seenFromZone('2024-12-31T23:30:00Z', +3); // 2025-01-01 02:30 on the host clock
      expect(moment.getFullYear()).toBe(2025);
      expect(isExpired(12, 2024, moment)).toBe(false);
    });

    it('already the next month in UTC, still the last day behind UTC: expired', () => {
      const moment = seenFromZone('2025-02-01T04:00:00Z', -5); // 2025-01-31 23:00 on the host clock
      expect(moment.getMonth()).toBe(0);
      expect(isExpired(1, 2025, moment)).toBe(true);
    });

    it('a late hour written with a positive offset is the UTC instant it denotes', () => {
      // 23:30 on 31 January at UTC+02:00 is 21:30 UTC, still January.
      expect(isExpired(1, 2025, new Date('2025-01-31T23:30:00+02:00'))).toBe(false);
      // 01:00 on 1 February at UTC+03:00 is 22:00 UTC on 31 January.
      expect(isExpired(1, 2025, new Date('2025-02-01T01:00:00+03:00'))).toBe(false);
    });
  });
});

describe(cardFingerprint.name, () => {
  const secret = 'a-test-secret-of-some-length';
  const number = '4242424242424242';

  it('is stable for the same secret and number', () => {
    expect(cardFingerprint(secret, number)).toBe(cardFingerprint(secret, number));
  });

  it('differs with another secret', () => {
    expect(cardFingerprint('another-secret-entirely', number)).not.toBe(cardFingerprint(secret, number));
  });

  it('differs with another number', () => {
    expect(cardFingerprint(secret, '5555555555554444')).not.toBe(cardFingerprint(secret, number));
  });

  it('starts with fp_ and contains neither the number nor the secret', () => {
    const fingerprint = cardFingerprint(secret, number);
    expect(fingerprint).toMatch(/^fp_[A-Za-z0-9_-]{24}$/);
    expect(fingerprint).not.toContain(number);
    expect(fingerprint).not.toContain(secret);
  });
});
