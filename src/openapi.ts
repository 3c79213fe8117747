import { NestFactory } from '@nestjs/core';
import { writeFile } from 'node:fs/promises';
import { AppModule } from './app.module.js';
import { APP_OPTIONS, openApiDocument } from './app.factory.js';
import { loadConfig } from './config/config.js';

/**
 * `npm run openapi`: writes the app's OpenAPI document (what /docs-json serves) to the file
 * given, `openapi.json` by default, the document clients generate their code from. Nest's
 * preview mode builds the routes without creating a provider, so no database is needed.
 */
const file = process.argv[2] ?? 'openapi.json';
const app = await NestFactory.create(AppModule.register(loadConfig({})), { ...APP_OPTIONS, preview: true, logger: false });
try {
  await writeFile(file, `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
} finally {
  await app.close();
}
console.log(`Wrote ${file}`);
