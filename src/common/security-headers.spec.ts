import { jest } from '@jest/globals';
import { helmetHeaders, noStore, securityHeaders } from './security-headers.js';

describe('securityHeaders', () => {
  it("sets helmet's headers, which do not depend on the request", () => {
    const headers = helmetHeaders();
    expect(headers.map(([name]) => name.toLowerCase())).toEqual(
      expect.arrayContaining(['content-security-policy', 'strict-transport-security', 'x-content-type-options', 'x-frame-options']),
    );
    const other = helmetHeaders({ method: 'POST', url: '/v1/payments?x=1', headers: { host: 'elsewhere', 'user-agent': 'curl' } });
    expect(other).toEqual(headers);
  });

  it('sets them all on a response and passes the request on', () => {
    const set: [string, string][] = [];
    const next = jest.fn();
    securityHeaders()({} as never, { setHeader: (name: string, value: string) => set.push([name, value]) } as never, next);
    expect(set).toEqual(helmetHeaders());
    expect(next).toHaveBeenCalledTimes(1);
  });
});

describe('noStore', () => {
  it('forbids any cache to keep the response and passes the request on', () => {
    const set: [string, string][] = [];
    const next = jest.fn();
    noStore()({} as never, { setHeader: (name: string, value: string) => set.push([name, value]) } as never, next);
    expect(set).toEqual([['Cache-Control', 'no-store']]);
    expect(next).toHaveBeenCalledTimes(1);
  });
});
