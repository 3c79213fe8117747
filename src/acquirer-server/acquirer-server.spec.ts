import { matchRoute, type Route } from './acquirer-server.js';

describe(matchRoute.name, () => {
  it.each<[string, string, Route]>([
    ['POST', '/authorizations', { name: 'authorize' }],
    ['GET', '/authorizations', { name: 'lookUp' }],
    ['POST', '/authorizations/reversals', { name: 'reverse' }],
    ['POST', '/authorizations/auth_1/captures', { name: 'capture', authorizationId: 'auth_1' }],
    ['POST', '/authorizations/auth_1/voids', { name: 'void', authorizationId: 'auth_1' }],
    ['POST', '/authorizations/auth%201/refunds', { name: 'refund', authorizationId: 'auth 1' }],
    ['GET', '/_control', { name: 'control' }],
    ['POST', '/_control', { name: 'control' }],
    ['GET', '/_records', { name: 'records' }],
    ['GET', '/_health', { name: 'health' }],
    ['DELETE', '/authorizations', { name: 'method_not_allowed', allow: 'GET, POST' }],
    ['GET', '/authorizations/auth_1/captures', { name: 'method_not_allowed', allow: 'POST' }],
    ['POST', '/_records', { name: 'method_not_allowed', allow: 'GET' }],
    ['GET', '/authorizations/auth_1', { name: 'not_found' }],
    ['POST', '/authorizations/%E0%A4%A/voids', { name: 'not_found' }],
    ['GET', '/', { name: 'not_found' }],
  ])('%s %s → %j', (method, pathname, route) => {
    expect(matchRoute(method, pathname)).toEqual(route);
  });
});
