import { oneOf } from '../config/parsers.js';
import { variable } from '../config/schema.js';

/** From the least to the most verbose: each level includes the ones before it. */
export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const loggingConfig = {
  logLevel: variable('LOG_LEVEL', {
    description: 'The most verbose level logged.',
    default: 'log',
    parse: oneOf(LOG_LEVELS),
  }),
  logFormat: variable('LOG_FORMAT', {
    description: '`json`: one JSON object per line; `text`: coloured lines.',
    default: (production) => (production ? 'json' : 'text'),
    parse: oneOf(['json', 'text']),
  }),
};
