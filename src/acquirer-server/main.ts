import { ConfigError } from '../config/config-error.js';
import { AcquirerLedger } from './acquirer-ledger.js';
import { AcquirerServer } from './acquirer-server.js';
import { loadAcquirerServerConfig, type AcquirerServerConfig } from './acquirer-server.config.js';
import { openJournal } from './journal.js';

/** One JSON object per line on stdout; never a body, a header or a card number. */
const log = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...line })}\n`);

let config: AcquirerServerConfig;
try {
  config = loadAcquirerServerConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`Invalid configuration: ${error.message}`);
  process.exit(1);
}

const journal = config.dataFile === undefined ? undefined : openJournal(config.dataFile);
const ledger = new AcquirerLedger(journal?.append);
if (journal) ledger.restore(journal.events);

const server = new AcquirerServer(ledger, {
  apiKey: config.apiKey,
  mode: config.mode,
  latencyMs: config.latencyMs,
  timeoutCardDelayMs: config.timeoutCardDelayMs,
  log,
});

server.http.listen(config.port, () => {
  const { port } = server.http.address() as { port: number };
  log({
    level: 'info',
    msg: `acquirer server listening on port ${port}`,
    port,
    mode: config.mode,
    storage: config.dataFile === undefined ? 'memory' : config.dataFile,
    records: ledger.counts(),
  });
});

/** Stops at once: in-flight answers (the timeout card's, a slow one) are dropped, as when a bank's process dies. */
const stop = (signal: string) => {
  log({ level: 'info', msg: `${signal} received: stopping` });
  server.http.close(() => {
    journal?.close();
    process.exit(0);
  });
  server.http.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
