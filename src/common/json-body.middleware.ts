import { Injectable, NestMiddleware } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';
import { GatewayError } from './errors.js';
import { nestsDeeperThan } from './json-depth.js';

export const BODY_LIMIT_BYTES = 100 * 1024;

/**
 * Far above any body the API takes (a payment is 2 levels deep, its metadata flat), far below
 * what makes a recursive parser, validator or transformer overflow its stack (about 1,500).
 */
const MAX_JSON_DEPTH = 32;

/** A refusal raised inside body-parser's `verify`, by the `type` that toGatewayError maps. */
class BodyRefused extends Error {
  constructor(readonly type: 'charset.unsupported' | 'entity.too.deep') {
    super(type);
  }
}

const parseJson = express.json({
  limit: BODY_LIMIT_BYTES,
  strict: false,
  // Runs on the exact bytes, before JSON.parse.
  verify: (req, _res, buffer, charset) => {
    // The depth scan reads UTF-8 bytes; RFC 8259 allows nothing else between systems.
    if (!/^utf-?8$/i.test(charset)) throw new BodyRefused('charset.unsupported');
    if (nestsDeeperThan(buffer, MAX_JSON_DEPTH)) throw new BodyRefused('entity.too.deep');
    // For the Idempotency-Key fingerprint.
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
    if (hasBody(req)) {
      if (!req.is('application/json')) {
        throw new GatewayError('unsupported_media_type', 'Send the request body as application/json', null);
      }
      const encoding = contentEncoding(req);
      if (encoding !== undefined) {
        // Refused rather than inflated: no client of this API needs it, a proxy in front may
        // compress if it wants, and an inflated body is one more thing to bound.
        throw new GatewayError('unsupported_media_type', `Content-Encoding ${encoding} is not supported: send the body uncompressed`, null);
      }
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

/** The first coding other than `identity` in Content-Encoding, quoted for a message, if any. */
function contentEncoding(req: Request): string | undefined {
  const codings = (req.headers['content-encoding'] ?? '').split(',').map((coding) => coding.trim().toLowerCase());
  const coding = codings.find((name) => name !== '' && name !== 'identity');
  if (coding === undefined) return undefined;
  return /^[a-z0-9._-]{1,32}$/.test(coding) ? `"${coding}"` : '(as sent)';
}

function toGatewayError(error: unknown): unknown {
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large') {
    return new GatewayError('body_too_large', `The request body exceeds ${BODY_LIMIT_BYTES / 1024} kB`, null);
  }
  if (type === 'entity.too.deep') {
    return new GatewayError(
      'parameter_invalid',
      `The request body is nested too deeply: at most ${MAX_JSON_DEPTH} levels of arrays and objects`,
      null,
    );
  }
  if (type === 'entity.parse.failed') {
    return new GatewayError('invalid_json', 'The request body is not valid JSON', null);
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new GatewayError('unsupported_media_type', 'Send the request body as UTF-8 JSON', null);
  }
  return error;
}
