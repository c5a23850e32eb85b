// Jest's global set-up for every suite that touches the stores: the local PostgreSQL server
// (scripts/local-postgres.sh), started unless it runs, with the services' roles made once; each
// suite then makes a database of its own (testkit's createTestDatabase, or a stack's). The
// teardown stops the server only if this started it. Uses the built testkit: `make build` first.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

module.exports = async () => {
  const built = join(__dirname, 'packages', 'testkit', 'dist', 'local-postgres.js');
  if (!existsSync(built)) throw new Error(`${built} is missing: build first (make build)`);
  const { ensureLocalPostgres } = require(built);
  globalThis.__cruddurStopPostgres = await ensureLocalPostgres();
};
