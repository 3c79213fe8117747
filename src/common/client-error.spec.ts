import { clientErrorResponse } from './client-error.js';

function parse(response: string) {
  const [head, body] = response.split('\r\n\r\n') as [string, string];
  const [statusLine, ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(headerLines.map((line) => line.split(': ') as [string, string]));
  return { statusLine, headers, body: JSON.parse(body) as unknown, bodyBytes: Buffer.byteLength(body) };
}

describe(clientErrorResponse.name, () => {
  it.each([
    ['HPE_HEADER_OVERFLOW', 'HTTP/1.1 431 Request Header Fields Too Large', 'headers_too_large'],
    ['HPE_CHUNK_EXTENSIONS_OVERFLOW', 'HTTP/1.1 413 Payload Too Large', 'body_too_large'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 'HTTP/1.1 408 Request Timeout', 'request_timeout'],
    ['HPE_INVALID_METHOD', 'HTTP/1.1 400 Bad Request', 'request_malformed'],
    [undefined, 'HTTP/1.1 400 Bad Request', 'request_malformed'],
  ])('%s → %s (%s)', (nodeCode, statusLine, code) => {
    const response = parse(clientErrorResponse(nodeCode, 'req_01JDQ3R6X8M2K9V4T7B5N1C0AZ'));
    expect(response.statusLine).toBe(statusLine);
    expect(response.headers).toEqual({
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(response.bodyBytes),
      'X-Request-Id': 'req_01JDQ3R6X8M2K9V4T7B5N1C0AZ',
      Connection: 'close',
    });
    expect(response.body).toEqual({
      error: {
        type: 'invalid_request_error',
        code,
        message: expect.any(String) as string,
        param: null,
        request_id: 'req_01JDQ3R6X8M2K9V4T7B5N1C0AZ',
      },
    });
  });
});
