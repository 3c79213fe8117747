import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id (the library's default, OWASP's first choice) with its default cost: 19 MiB, two
 * passes. Hashing runs on libuv's thread pool, off the event loop.
 */
export const hashPassword = (password: string): Promise<string> => hash(password);

export const verifyPassword = (passwordHash: string, password: string): Promise<boolean> => verify(passwordHash, password);

/**
 * A hash no password matches, verified against when the email is unknown: an unknown address
 * then costs the same time as a wrong password, so the timing does not tell which it was.
 */
export const unknownUserHash: Promise<string> = hash(`no user has this password ${Math.random()}`);
