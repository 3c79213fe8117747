import { createHash } from 'node:crypto';

/** API keys, the admin key included, are kept and compared only as this hash. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
