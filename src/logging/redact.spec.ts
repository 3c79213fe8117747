import { redact } from './redact.js';

describe(redact.name, () => {
  it.each([
    ['a bare 16-digit number', 'card 4242424242424242 charged', 'card [REDACTED_PAN] charged'],
    ['a number with spaces', 'card 4242 4242 4242 4242 charged', 'card [REDACTED_PAN] charged'],
    ['a number with dashes', 'card 4242-4242-4242-4242 charged', 'card [REDACTED_PAN] charged'],
    ['an amex number in 4-6-5 groups', 'card 3782 822463 10005', 'card [REDACTED_PAN]'],
    ['a 12-digit number', 'n=123456789012', 'n=[REDACTED_PAN]'],
    ['a 19-digit number', 'n=6250941006528599123', 'n=[REDACTED_PAN]'],
    ['a number inside JSON', '{"number":"5555555555554444","cvv_present":true}', '{"number":"[REDACTED_PAN]","cvv_present":true}'],
  ])('redacts %s', (_, input, expected) => {
    expect(redact(input)).toBe(expected);
    expect(redact(input)).not.toMatch(/\d{12}/);
  });

  it.each([
    ['an 11-digit number', 'order 12345678901 shipped'],
    ['a payment id', 'pay_01JDCQ4K6Y2R8W3M5N7P9QZXTV captured'],
    ['a request id', 'POST /v1/payments 201 12.3ms req_01JDCQ4K6Y2R8W3M5N7P9QZXTV'],
    ['an ISO date', 'created_at 2026-11-25T14:03:11.123Z'],
    ['a date range', 'created_gte=2026-11-25T00:00:00.000Z&created_lt=2026-12-01T00:00:00.000Z'],
    ['an amount and a currency', 'amount 1050 EUR'],
  ])('leaves %s untouched', (_, input) => {
    expect(redact(input)).toBe(input);
  });

  it('redacts an Authorization header with a bearer key', () => {
    const line = redact('headers: Authorization: Bearer sk_live_abc123XYZ');
    expect(line).not.toContain('sk_live_abc123XYZ');
    expect(line).toContain('[REDACTED]');
  });

  it('redacts an authorization field in JSON', () => {
    const line = redact('{"authorization":"Bearer x","host":"localhost"}');
    expect(line).not.toMatch(/Bearer x/);
    expect(line).toContain('[REDACTED]');
    expect(line).toContain('"host":"localhost"');
  });

  it('redacts a bearer token wherever it appears', () => {
    const line = redact('retrying with bearer sk_test_0123456789');
    expect(line).not.toContain('sk_test_0123456789');
  });

  it('redacts webhook secrets', () => {
    const line = redact('endpoint we_01JDCQ secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw=');
    expect(line).not.toContain('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(line).toContain('whsec_[REDACTED]');
    expect(line).toContain('we_01JDCQ');
  });

  it('redacts a cvv field', () => {
    const line = redact('{"expiry_month":12,"cvv":"123","holder_name":"Ada"}');
    expect(line).toBe('{"expiry_month":12,"cvv":"[REDACTED]","holder_name":"Ada"}');
  });

  it('redacts a whole card object at once', () => {
    const line = redact(JSON.stringify({ card: { number: '4242 4242 4242 4242', cvv: '1234', expiry_year: 2030 } }));
    expect(line).not.toContain('4242 4242');
    expect(line).not.toContain('1234');
    expect(line).toContain('"expiry_year":2030');
  });
});
