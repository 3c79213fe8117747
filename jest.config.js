// Unit tests live beside the code (src, *.spec.ts); e2e tests (test, *.e2e-spec.ts) boot the app on a real PostgreSQL.
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
};

export default {
  // One file at a time: e2e files share a database, and time-driven background work (expiry,
  // reconciliation) in one must not race another's assertions.
  maxWorkers: 1,
  // Jest reads testTimeout from here only: set in a project it is silently ignored, and the
  // e2e tests (which boot the app, or spawn it and wait for it to exit) ran with the default
  // 5 s, which a busy machine exceeds. Unit tests finish in milliseconds either way.
  testTimeout: 30_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
    },
  ],
};
