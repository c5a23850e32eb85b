// The soak test (`make test-soak`, part of `make test`): the whole stack under sustained
// load on both cores, so it runs alone, after the other suites, where its load cannot slow
// a timing-sensitive test.
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/soak'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  maxWorkers: 1,
  testTimeout: 600_000,
};
