import { bodylessRouteError } from './bodyless-route.guard.js';

describe(bodylessRouteError.name, () => {
  it.each([
    ['no body', undefined],
    ['an empty object', {}],
  ])('lets %s through', (_name, body) => {
    expect(bodylessRouteError(body)).toBeUndefined();
  });

  it.each([
    ['a field', { amount: 100 }, 'amount'],
    ['"__proto__" (an own key, as JSON.parse makes it)', JSON.parse('{"__proto__": {"admin": true}}') as unknown, '__proto__'],
    ['several fields, naming the first', { reason: 'x', amount: 1 }, 'reason'],
  ])('refuses %s as parameter_unknown', (_name, body, param) => {
    expect(bodylessRouteError(body)).toMatchObject({ code: 'parameter_unknown', param, message: `Unknown parameter: ${param}` });
  });

  it.each([
    ['an array', []],
    ['a string', 'void'],
    ['a number', 1],
    ['null', null],
  ])('refuses %s as parameter_invalid', (_name, body) => {
    expect(bodylessRouteError(body)).toMatchObject({ code: 'parameter_invalid', param: null, message: 'The request body must be a JSON object' });
  });
});
