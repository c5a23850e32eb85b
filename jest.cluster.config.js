// The live cluster checks (`make test-cluster`): they need the cluster `make up` created and
// change it (rollouts, a Honeycomb upgrade rolled back, a node restarted), so one file at a
// time, in the order of test/cluster/sequencer.js (the node restart last).
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/cluster'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  maxWorkers: 1,
  testSequencer: '<rootDir>/test/cluster/sequencer.js',
  // The cluster runs its own database: no local server.
  globalSetup: undefined,
  globalTeardown: undefined,
  testTimeout: 120_000,
};
