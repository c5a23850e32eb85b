// Stops the local PostgreSQL server if jest.postgres-setup.js started it.
module.exports = async () => {
  globalThis.__cruddurStopPostgres?.();
};
