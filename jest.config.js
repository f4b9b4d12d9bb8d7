// Three projects: unit (no I/O), integration (real Mongo-wire server), e2e (local chain + PoCo +
// Mongo-wire server + service stand-ins). `npm test` runs them all; see README.
// The code base is ESM (NestJS 12 ships ESM only), hence ts-jest in ESM mode and
// --experimental-vm-modules in the npm test script.
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', useESM: true, diagnostics: false }],
};
const common = {
  rootDir: import.meta.dirname,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform,
  setupFiles: ['reflect-metadata'],
};

// `npm test` (scripts/test.mjs) runs in two phases: `shared`, every suite but SOLO, two at a time
// (each Jest worker has a dev chain of its own); then `solo`, the suites that bound a duration or
// spawn several schedulers, one at a time, so that no neighbour slows them past their bound.
// Without IEXEC_TEST_PHASE (`npm test -- <selection>`) one run takes everything selected.
const SOLO = [
  'test/e2e/app/boot.spec.ts',
  'test/e2e/app/default-lease-takeover.spec.ts',
  'test/e2e/app/graceful-shutdown.spec.ts',
  'test/e2e/app/leadership-fence.spec.ts',
  'test/e2e/app/push-channel-abuse.spec.ts',
  'test/e2e/devstack/deployment.spec.ts',
  'test/e2e/devstack/wallet.spec.ts',
  'test/e2e/protocol/claims-ahead-of-node.spec.ts',
  'test/e2e/protocol/push-after-restart.spec.ts',
  'test/e2e/task/two-replicas.spec.ts',
];
const solo = SOLO.map((path) => `<rootDir>/${path}`);
const phase = process.env.IEXEC_TEST_PHASE;
if (phase !== undefined && phase !== 'shared' && phase !== 'solo')
  throw new Error(`IEXEC_TEST_PHASE must be shared or solo, not ${JSON.stringify(phase)}`);

const unit = {
  ...common,
  displayName: 'unit',
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/integration/', '<rootDir>/test/e2e/'],
};
const integration = {
  ...common,
  displayName: 'integration',
  testMatch: ['<rootDir>/test/integration/**/*.spec.ts'],
  globalSetup: '<rootDir>/test/setup/mongo.global-setup.js',
  globalTeardown: '<rootDir>/test/setup/mongo.global-teardown.js',
};
const e2e = {
  ...common,
  displayName: 'e2e',
  testMatch: phase === 'solo' ? solo : ['<rootDir>/test/e2e/**/*.spec.ts'],
  testPathIgnorePatterns: phase === 'shared' ? ['/node_modules/', ...solo] : ['/node_modules/'],
  globalSetup: '<rootDir>/test/setup/e2e.global-setup.js',
  globalTeardown: '<rootDir>/test/setup/e2e.global-teardown.js',
};

/** @type {import('jest').Config} */
export default {
  testTimeout: 30000,
  ...(phase === 'shared' ? { maxWorkers: 2 } : phase === 'solo' ? { maxWorkers: 1 } : {}),
  projects: phase === 'solo' ? [e2e] : [unit, integration, e2e],
};
