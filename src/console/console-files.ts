import { existsSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built console (`vite build` → dist/console), wherever this file runs from: compiled
 * (dist/src/console/) or as source under the tests (src/console/).
 */
export function consoleRoot(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const compiled = `${sep}dist${sep}src${sep}console${sep}`;
  return here.endsWith(compiled) ? resolve(here, '../../console') : resolve(here, '../../dist/console');
}

/** The console's own policy: its scripts and styles come from files of its own, never inline. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

/** Vite names every file under assets/ by its content's hash: it never changes. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

export type ConsoleFile =
  | { kind: 'file'; path: string; cacheControl: string }
  | { kind: 'missing-asset' }
  | { kind: 'not-built' };

/**
 * What answers `/console/<relative>`: a hashed asset (cached for a year), another file at the
 * top of the build (favicon), or index.html for every other path — the app's own routes.
 */
export function resolveConsoleFile(root: string, relative: string): ConsoleFile {
  const index = resolve(root, 'index.html');
  const candidate = resolve(root, relative);
  const inside = candidate.startsWith(root + sep);
  if (relative.startsWith('assets/')) {
    return inside && isFile(candidate) ? { kind: 'file', path: candidate, cacheControl: IMMUTABLE } : { kind: 'missing-asset' };
  }
  if (inside && extname(relative) !== '' && isFile(candidate)) return { kind: 'file', path: candidate, cacheControl: REVALIDATE };
  return isFile(index) ? { kind: 'file', path: index, cacheControl: REVALIDATE } : { kind: 'not-built' };
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}
