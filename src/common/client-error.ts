import type { Logger } from '@nestjs/common';
import { maxHeaderSize, STATUS_CODES, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorBody } from './api-error.filter.js';
import { ERROR_CODES, type ErrorCode } from './errors.js';
import { newId } from './ids.js';

/** Node's parser errors, as the contract's codes; any other is a request that is not HTTP. */
const CODE_BY_NODE_ERROR: Record<string, { code: ErrorCode; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    code: 'headers_too_large',
    message: `The request line and headers exceed ${maxHeaderSize / 1024} kB`,
  },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { code: 'body_too_large', message: 'The request body has chunk extensions over the limit' },
  ERR_HTTP_REQUEST_TIMEOUT: { code: 'request_timeout', message: 'The request was not received in time' },
};
const MALFORMED = { code: 'request_malformed', message: 'The request is not valid HTTP/1.1' } as const;

/**
 * The whole HTTP response to a request Node's parser refused, before any handler (or
 * middleware) could see it: the contract's error body and `X-Request-Id`, then close.
 */
export function clientErrorResponse(nodeErrorCode: string | undefined, requestId: string): string {
  const { code, message } = CODE_BY_NODE_ERROR[nodeErrorCode ?? ''] ?? MALFORMED;
  const { status, type } = ERROR_CODES[code];
  const body: ErrorBody = { error: { type, code, message, param: null, request_id: requestId } };
  const text = JSON.stringify(body);
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(text)}`,
    `X-Request-Id: ${requestId}`,
    'Connection: close',
    '',
    text,
  ].join('\r\n');
}

/**
 * Replaces Node's bare answer to a request it could not parse (a 431 for headers over
 * `maxHeaderSize`, a 400 for a malformed request line) with clientErrorResponse(), keeping
 * Node's own precautions: a socket that cannot be written to, or that already carries a
 * response, is only destroyed.
 */
export function answerClientErrors(server: Server, logger: Logger): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // `_httpMessage` is the response in flight on a kept-alive socket: what Node checks too.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const requestId = newId('request');
    socket.write(clientErrorResponse(error.code, requestId));
    socket.destroySoon();
    logger.log(`- - ${error.code ?? error.name} ${requestId}`);
  });
}
