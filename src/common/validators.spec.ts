import { integerProblem } from './validators.js';

describe(integerProblem.name, () => {
  it.each([1, 500, 99_999_999])('accepts %p', (value) => {
    expect(integerProblem(value, 1, 99_999_999)).toBeUndefined();
  });

  it.each([
    ['1000', 'must be an integer (got a string)'],
    ['', 'must be an integer (got a string)'],
    [null, 'must be an integer (got null)'],
    [undefined, 'must be an integer (got undefined)'],
    [true, 'must be an integer (got a boolean)'],
    [[1000], 'must be an integer (got an array)'],
    [{ value: 1000 }, 'must be an integer (got an object)'],
    [10.5, 'must be an integer (got 10.5)'],
    [0, 'must be at least 1 (got 0)'],
    [-5, 'must be at least 1 (got -5)'],
    [100_000_000, 'must be at most 99999999 (got 100000000)'],
    [1e21, 'must be at most 99999999 (got 1e+21)'],
  ])('%p: %s', (value, message) => {
    expect(integerProblem(value, 1, 99_999_999)).toBe(message);
  });

  it('says the type before the contract\'s own wording for the range', () => {
    expect(integerProblem('2030', 1000, 9999, 'must have four digits')).toBe('must be an integer (got a string)');
    expect(integerProblem(30, 1000, 9999, 'must have four digits')).toBe('must have four digits (got 30)');
  });
});
