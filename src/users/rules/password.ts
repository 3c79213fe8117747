import { randomBytes } from 'node:crypto';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

/** What is wrong with a new password, or undefined. Length is what matters (NIST SP 800-63B). */
export function passwordProblem(password: string): string | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `password must be at least ${PASSWORD_MIN} characters long`;
  if (length > PASSWORD_MAX) return `password must be at most ${PASSWORD_MAX} characters long`;
  return undefined;
}

/** A password for a person to change later: 24 characters of base64url, 144 random bits. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** Enough to tell an address from a typo; the mailbox itself is never checked. */
export function isEmail(text: string): boolean {
  return text.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(text);
}
