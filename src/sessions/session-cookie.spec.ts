import { clearedSessionCookie, isSafeMethod, sessionCookie, sessionToken } from './session-cookie.js';

const TOKEN = 'A'.repeat(43);

describe('sessionToken', () => {
  it('finds the session cookie among others', () => {
    expect(sessionToken(`theme=dark; gateway_session=${TOKEN}; other=1`)).toBe(TOKEN);
  });

  it.each([undefined, '', 'theme=dark', 'gateway_session=', 'gateway_session=short', `gateway_sessionX=${TOKEN}`, `gateway_session=${'A'.repeat(42)}!`])(
    'finds none in %j',
    (header) => expect(sessionToken(header)).toBeUndefined(),
  );
});

describe('sessionCookie', () => {
  it('is HttpOnly and SameSite=Strict, Secure in production only', () => {
    expect(sessionCookie(TOKEN, 12 * 3_600_000, false)).toBe(`gateway_session=${TOKEN}; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict`);
    expect(sessionCookie(TOKEN, 1000, true)).toMatch(/; Secure$/);
    expect(clearedSessionCookie(false)).toBe('gateway_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict');
  });
});

describe('isSafeMethod', () => {
  it.each([
    ['GET', true],
    ['HEAD', true],
    ['OPTIONS', true],
    ['POST', false],
    ['PATCH', false],
    ['DELETE', false],
  ])('%s: %s', (method, safe) => expect(isSafeMethod(method)).toBe(safe));
});
