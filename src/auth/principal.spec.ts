import { GatewayError } from '../common/errors.js';
import { listedMode, modeOf, scopeOf, type Principal } from './principal.js';

const admin: Principal = { role: 'admin', keyId: null };
const live: Principal = { role: 'merchant', keyId: 'key_L', merchantId: 'mer_A', livemode: true };
const test: Principal = { role: 'merchant', keyId: 'key_T', merchantId: 'mer_A', livemode: false };
const person: Principal = { role: 'merchant', keyId: null, merchantId: 'mer_A', userId: 'usr_P' };

describe(scopeOf.name, () => {
  it("confines a merchant key to its merchant and its mode, both", () => {
    expect(scopeOf(live)).toEqual({ merchantId: 'mer_A', livemode: true });
    expect(scopeOf(test)).toEqual({ merchantId: 'mer_A', livemode: false });
  });

  it("confines a merchant's person to its merchant, in both modes", () => {
    expect(scopeOf(person)).toEqual({ merchantId: 'mer_A', livemode: undefined });
  });

  it('leaves the admin unconfined', () => {
    expect(scopeOf(admin)).toEqual({});
  });
});

describe(modeOf.name, () => {
  it("is the key's mode for a merchant, live for the admin", () => {
    expect([modeOf(live), modeOf(test), modeOf(admin), modeOf(person)]).toEqual([true, false, true, true]);
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

  it.each([['the admin', admin], ["a merchant's person", person]])('gives %s both modes by default, or the one asked for', (_, principal) => {
    expect(listedMode(principal, undefined)).toBeUndefined();
    expect(listedMode(principal, 'true')).toBe(true);
    expect(listedMode(principal, 'false')).toBe(false);
  });

  it.each([[''], ['TRUE'], ['1'], ['yes'], ['false ']])('refuses livemode=%j from the admin', (value) => {
    expect(refusal(admin, value)).toEqual({ code: 'parameter_invalid', param: 'livemode' });
  });
});
