import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface Received {
  /** The request target: path and query, e.g. `/hooks/all`. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A receiver's answer: `body` defaults to `ok`. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A real HTTP receiver on 127.0.0.1. `respond` decides each answer (status, headers, or a
 * hang); every request is kept, in arrival order.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  respond: (request: Received, index: number) => Answer | 'hang' = () => ({ status: 200 });
  private server: Server | undefined;
  private readonly hanging = new Set<() => void>();

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const request = { path: req.url ?? '', headers: req.headers, body, at: Date.now() };
        const answer = this.respond(request, this.received.length);
        this.received.push(request);
        if (answer === 'hang') {
          const release = () => res.destroy();
          this.hanging.add(release);
          res.on('close', () => this.hanging.delete(release));
          return;
        }
        res.writeHead(answer.status, answer.headers).end(answer.body ?? 'ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as { port: number };
    return `http://127.0.0.1:${port}/hooks`;
  }

  async stop(): Promise<void> {
    for (const release of this.hanging) release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
