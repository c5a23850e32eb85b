// The live checks run one file at a time; the ones that take a node or its network down
// run last, so every other check meets the cluster as `make up` left it.
const Sequencer = require('@jest/test-sequencer').default;

const LAST = ['node-restart.test.ts'];
const rank = (path) => LAST.findIndex((name) => path.endsWith(`/${name}`));

class LiveChecksLast extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path));
  }
}

module.exports = LiveChecksLast;
