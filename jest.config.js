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

/** @type {import('jest').Config} */
export default {
  testTimeout: 30000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/integration/', '<rootDir>/test/e2e/'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/setup/mongo.global-setup.js',
      globalTeardown: '<rootDir>/test/setup/mongo.global-teardown.js',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/setup/e2e.global-setup.js',
      globalTeardown: '<rootDir>/test/setup/e2e.global-teardown.js',
    },
  ],
};
