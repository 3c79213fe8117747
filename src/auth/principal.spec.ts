import { GatewayError } from '../common/errors.js';
import { listedMode, modeOf, scopeOf, type Principal } from './principal.js';

const admin: Principal = { role: 'admin', keyId: null };
const live: Principal = { role: 'merchant', keyId: 'key_L', merchantId: 'mer_A', livemode: true };
const test: Principal = { role: 'merchant', keyId: 'key_T', merchantId: 'mer_A', livemode: false };

describe(scopeOf.name, () => {
  it("confines a merchant key to its merchant and its mode, both", () => {
    expect(scopeOf(live)).toEqual({ merchantId: 'mer_A', livemode: true });
    expect(scopeOf(test)).toEqual({ merchantId: 'mer_A', livemode: false });
  });

  it('leaves the admin unconfined', () => {
    expect(scopeOf(admin)).toEqual({});
  });
});

describe(modeOf.name, () => {
  it("is the key's mode for a merchant, live for the admin", () => {
    expect([modeOf(live), modeOf(test), modeOf(admin)]).toEqual([true, false, true]);
  });
});

describe(listedMode.name, () => {
  const refusal = (principal: Principal, value: string | undefined) => {
    try {
      listedMode(principal, value);
    } catch (error) {
      return error instanceof GatewayError ? { code: error.code, param: error.param } : error;
    }
    return undefined;
  };

  it("lists a merchant key's own mode", () => {
    expect(listedMode(live, undefined)).toBe(true);
    expect(listedMode(test, undefined)).toBe(false);
  });

  it.each([['true'], ['false'], ['x']])('refuses livemode=%s from a merchant key as an unknown parameter, as merchant_id', (value) => {
    expect(refusal(test, value)).toEqual({ code: 'parameter_unknown', param: 'livemode' });
  });

  it('gives the admin both modes by default, or the one asked for', () => {
    expect(listedMode(admin, undefined)).toBeUndefined();
    expect(listedMode(admin, 'true')).toBe(true);
    expect(listedMode(admin, 'false')).toBe(false);
  });

  it.each([[''], ['TRUE'], ['1'], ['yes'], ['false ']])('refuses livemode=%j from the admin', (value) => {
    expect(refusal(admin, value)).toEqual({ code: 'parameter_invalid', param: 'livemode' });
  });
});
