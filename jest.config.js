// One jest run for the whole workspace. Unit and HTTP tests import TypeScript sources
// directly; trace and end-to-end tests start the built services as real processes.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/services', '<rootDir>/loadtests', '<rootDir>/test'],
  testMatch: ['**/test/**/*.test.ts'],
  // test/containers runs the built images (an engine is needed; `make test-containers`,
  // jest.containers.config.js); test/cluster checks a live cluster (`make test-cluster`,
  // jest.cluster.config.js); test/soak loads both cores for minutes (`make test-soak`,
  // jest.soak.config.js).
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/test/containers/', '<rootDir>/test/cluster/', '<rootDir>/test/soak/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }],
  },
  moduleNameMapper: {
    '^@cruddur/(api-contract|service-kit|store-kit|users-client|testkit|service-map|cluster-check)$': '<rootDir>/packages/$1/src/index.ts',
    '^@cruddur/api-contract/openapi$': '<rootDir>/packages/api-contract/src/openapi.ts',
    '^@cruddur/loadtests$': '<rootDir>/loadtests/src/traffic-profile.ts',
  },
  // The local PostgreSQL server every store test and stack uses, each suite in a database of its own.
  globalSetup: '<rootDir>/jest.postgres-setup.js',
  globalTeardown: '<rootDir>/jest.postgres-teardown.js',
  // Two cores: trace tests start many processes; keep the workers to the cores.
  maxWorkers: 2,
  testTimeout: 30_000,
};
