// `DATABASE_URL=postgres://… PORT=4000 node dist/bench/nest-reference/main.js`: the bench's minimal Nest reference.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { newId } from '../../src/common/ids.js';
import { ReferenceModule } from './reference.js';

const app = await NestFactory.create(ReferenceModule, { logger: ['error', 'warn'] });
app.use((_request: Request, response: Response, next: NextFunction) => {
  response.setHeader('X-Request-Id', newId('request'));
  next();
});
app.enableShutdownHooks();
await app.listen(Number(process.env.PORT || 4000), '127.0.0.1');
