import { loadAcquirerServerConfig } from './acquirer-server.config.js';

describe(loadAcquirerServerConfig.name, () => {
  it('has defaults outside production', () => {
    expect(loadAcquirerServerConfig({})).toEqual({
      port: 4100,
      apiKey: 'acq_test_key',
      mode: 'normal',
      latencyMs: 3000,
      timeoutCardDelayMs: 10_000,
      dataFile: undefined,
    });
  });

  it('reads every variable', () => {
    expect(
      loadAcquirerServerConfig({
        ACQUIRER_PORT: '4200',
        ACQUIRER_API_KEY: 'acq_secret_1',
        ACQUIRER_MODE: 'down',
        ACQUIRER_LATENCY_MS: '50',
        ACQUIRER_TIMEOUT_CARD_DELAY_MS: '1500',
        ACQUIRER_DATA_FILE: '/tmp/acq.jsonl',
      }),
    ).toEqual({ port: 4200, apiKey: 'acq_secret_1', mode: 'down', latencyMs: 50, timeoutCardDelayMs: 1500, dataFile: '/tmp/acq.jsonl' });
  });

  it('requires ACQUIRER_API_KEY in production', () => {
    expect(() => loadAcquirerServerConfig({ NODE_ENV: 'production' })).toThrow('ACQUIRER_API_KEY is required when NODE_ENV=production');
  });

  it.each([
    ['ACQUIRER_PORT', '70000'],
    ['ACQUIRER_MODE', 'broken'],
    ['ACQUIRER_LATENCY_MS', '-1'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => loadAcquirerServerConfig({ [name]: value })).toThrow(name);
  });

  it('never quotes a refused key', () => {
    expect(() => loadAcquirerServerConfig({ ACQUIRER_API_KEY: 'short' })).toThrow(/^ACQUIRER_API_KEY must be at least 8 characters long$/);
  });
});
