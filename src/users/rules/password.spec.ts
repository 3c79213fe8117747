import { generatePassword, isEmail, passwordProblem } from './password.js';

describe('passwordProblem', () => {
  it('takes 12 to 256 characters, counted as characters, not bytes', () => {
    expect(passwordProblem('a'.repeat(11))).toBe('password must be at least 12 characters long');
    expect(passwordProblem('a'.repeat(12))).toBeUndefined();
    expect(passwordProblem('é'.repeat(12))).toBeUndefined();
    expect(passwordProblem('a'.repeat(257))).toBe('password must be at most 256 characters long');
  });

  it('accepts what it generates', () => {
    const generated = generatePassword();
    expect(passwordProblem(generated)).toBeUndefined();
    expect(generatePassword()).not.toBe(generated);
  });
});

describe('isEmail', () => {
  it.each(['ada@example.com', 'admin@localhost'])('accepts %s', (email) => expect(isEmail(email)).toBe(true));
  it.each(['ada', 'ada@', '@example.com', 'a da@example.com', `${'a'.repeat(250)}@x.io`])('refuses %s', (email) => expect(isEmail(email)).toBe(false));
});
