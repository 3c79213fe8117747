import { Logger, type INestApplication, type LogLevel, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { Server } from 'node:http';
import { AppModule } from './app.module.js';
import { answerClientErrors } from './common/client-error.js';
import { RequestContextMiddleware } from './common/request-context.middleware.js';
import { Lifecycle } from './health/lifecycle.js';
import { noStore, securityHeaders } from './common/security-headers.js';
import type { AppConfig } from './config/config.js';

/** Builds the whole HTTP app, the same way for `npm start` and for the e2e tests. */
export async function createApp(config: AppConfig, logger: LoggerService | LogLevel[]): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config), {
    ...APP_OPTIONS,
    logger,
  });
  configureApp(app, config);
  return app;
}

export const APP_OPTIONS = {
  // JsonBodyMiddleware parses bodies so that parse errors get the contract's shape.
  bodyParser: false,
} as const;

export function configureApp(app: INestApplication, config: AppConfig): void {
  const express = app as NestExpressApplication;
  // On the Express app itself, not a module's middleware: /docs and /docs-json (and anything
  // else mounted outside Nest's router) carry X-Request-Id and Server-Timing too.
  const context = new RequestContextMiddleware(app.get(Lifecycle));
  express.use(context.use.bind(context));
  express.use(securityHeaders());
  express.use('/v1', noStore());
  // Off unless configured: merchants call from their servers, not from browsers.
  if (config.corsOrigins.length > 0) express.enableCors({ origin: config.corsOrigins });
  express.disable('x-powered-by');
  express.set('etag', false);
  // Query strings are parsed flat: `?status=a&status=b` must not become an array silently.
  express.set('query parser', 'simple');
  // Behind a load balancer, the client's address (failed-authentication limit, logs) comes from X-Forwarded-For.
  express.set('trust proxy', config.trustProxy);
  // Requests Node refuses before Express sees them still get the contract's error body.
  answerClientErrors(app.getHttpServer() as Server, new Logger('HTTP'));
  setUpSwagger(app);
}

/**
 * Swagger UI groups the routes by these tags, in this order: by audience, merchants' first.
 * Every tag a controller uses is declared here (Spectral, run by `npm run lint`, checks it).
 */
const TAGS: [name: string, description: string][] = [
  ['payments', "Merchants: charge a card, capture, void, refund, and read a payment's history. A merchant key (`sk_live_…`, `sk_test_…`) sees its own merchant and mode; the admin key every merchant."],
  ['webhooks', 'Merchants: endpoints that receive every event of their payments, signed per Standard Webhooks; their deliveries, and resending one.'],
  ['admin', 'Admins: merchants, their API keys, and archiving payments (admin key).'],
  ['acquirers', "Admins: the acquirers payments are sent to, their health, and each merchant's routing (admin key)."],
  ['people', "People who sign in: the operator's staff (admin; support reads everything, changes nothing), made by admins; a merchant's own (merchant_admin; merchant_viewer reads), made by admins or the merchant's admins. And a merchant's API keys, managed by its admins."],
  ['audit', 'Admins and merchant admins: who changed what in configuration or money, when, from where.'],
  ['sessions', 'People: sign in with email and password (a session cookie and a CSRF token), sign out, change the password.'],
  ['health', 'Operators: liveness and readiness probes for load balancers and orchestrators (no key).'],
  ['operations', 'Operators: Prometheus metrics (bearer `METRICS_TOKEN` when it is set).'],
];

function setUpSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => openApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}

/** The OpenAPI document of the app's routes: served at /docs-json, and written to openapi.json by `npm run openapi`. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Payment gateway')
    .setDescription(
      'Merchants charge cards through a bank; admins manage merchants, keys and archives. ' +
        'Authenticate with "Authorize": paste the admin key or a merchant key (sk_…). ' +
        'Every error has the body {"error": {type, code, message, param, request_id}}.',
    )
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    // Relative: "Try it out" calls the gateway that served this page, wherever it runs.
    .addServer('/', 'The gateway serving this document')
    // An opaque key, not a JWT (Nest's default format).
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'API key', description: 'The admin key or a merchant key (sk_…)' })
    .addCookieAuth('gateway_session', { type: 'apiKey', in: 'cookie', description: "A person's session (POST /v1/sessions); with it, a request that changes something also sends X-CSRF-Token" }, 'session');
  for (const [name, description] of TAGS) builder.addTag(name, description);
  return SwaggerModule.createDocument(app, builder.build());
}
