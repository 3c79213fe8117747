import { Injectable, NestMiddleware } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';
import { GatewayError } from './errors.js';

export const BODY_LIMIT_BYTES = 100 * 1024;

const parseJson = express.json({
  limit: BODY_LIMIT_BYTES,
  strict: false,
  // The exact bytes, for the Idempotency-Key fingerprint.
  verify: (req, _res, buffer) => {
    (req as Request & { rawBody?: Buffer }).rawBody = buffer;
  },
});

/**
 * Parses JSON bodies (Nest's own parser is off) so that a malformed or oversize body
 * becomes the contract's error through the global filter, not Express's HTML page.
 */
@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    if (hasBody(req) && !req.is('application/json')) {
      throw new GatewayError('unsupported_media_type', 'Send the request body as application/json', null);
    }
    await new Promise<void>((resolve, reject) => {
      parseJson(req, res, (error?: unknown) => (error ? reject(toGatewayError(error)) : resolve()));
    });
    next();
  }
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

function toGatewayError(error: unknown): unknown {
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large') {
    return new GatewayError('body_too_large', `The request body exceeds ${BODY_LIMIT_BYTES / 1024} kB`, null);
  }
  if (type === 'entity.parse.failed') {
    return new GatewayError('invalid_json', 'The request body is not valid JSON', null);
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new GatewayError('unsupported_media_type', 'Send the request body as UTF-8 JSON', null);
  }
  return error;
}
