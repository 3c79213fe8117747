import { int, minLength } from '../config/parsers.js';
import { optional, variable } from '../config/schema.js';
import { hashApiKey } from './api-key-hash.js';

const adminApiKey = minLength(24);

export const authConfig = {
  adminApiKeyHash: optional('ADMIN_API_KEY', {
    description: 'The bootstrap admin key; only its hash is kept in memory.',
    secret: true,
    requiredInProduction: true,
    parse: (text) => hashApiKey(adminApiKey(text)),
  }),
  apiKeyCacheTtlMs: variable('API_KEY_CACHE_TTL_MS', {
    description: 'How long a checked API key is trusted without asking the database again; 0: ask every time.',
    unit: 'ms',
    default: 30_000,
    parse: int(0, 3_600_000),
  }),
};
