import { optional } from '../config/schema.js';

export const metricsConfig = {
  metricsToken: optional('METRICS_TOKEN', {
    description: 'Bearer token required on GET /metrics.',
    secret: true,
    requiredInProduction: true,
    parse: (text) => text,
  }),
};
