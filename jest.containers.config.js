// The container tests (`make test-containers`): the images the chart runs, started by the
// container engine with the chart's security settings. One file at a time: each starts
// several containers, and the machine has two cores.
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/containers'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  maxWorkers: 1,
  testTimeout: 120_000,
};
