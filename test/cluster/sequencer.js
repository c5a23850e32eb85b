// The live checks run one file at a time, in this order: the browser's first (its traces are
// the frontend-web → gateway edge that traces.test.ts finds in Jaeger's dependency graph),
// then the rest by name, and last the ones that take a node or its network down, then the
// dev loop (which ends by uninstalling the release), so every other check meets the cluster
// as `make up` left it.
const Sequencer = require('@jest/test-sequencer').default;

const FIRST = ['browser.test.ts'];
const LAST = ['node-restart.test.ts', 'dev-loop.test.ts'];
const name = (path) => path.slice(path.lastIndexOf('/') + 1);
const rank = (path) => (FIRST.includes(name(path)) ? -1 : LAST.includes(name(path)) ? 1 + LAST.indexOf(name(path)) : 0);

class LiveChecksInOrder extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path));
  }
}

module.exports = LiveChecksInOrder;
