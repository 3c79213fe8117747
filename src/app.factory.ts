import { Logger, type INestApplication, type LogLevel, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
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

function setUpSwagger(app: INestApplication): void {
  const document = new DocumentBuilder()
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
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The admin key or a merchant key (sk_…)' })
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, document), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
