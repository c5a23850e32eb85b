// `npm start`: the six services and the frontend's server in one foreground command, without
// a collector (their spans go to OTEL_EXPORTER_OTLP_ENDPOINT, by default a collector on
// localhost:4318) and without starting a database: the stores use the local server `make run`
// set up (if it runs: else they answer 503 store_unavailable), or what the PG* variables name.
import { localDatabaseEnv, requireBuilt, runServices } from './lib/services.mjs';

requireBuilt();
console.log('gateway: http://127.0.0.1:4567/api/health-check, frontend: http://127.0.0.1:3000 (Ctrl-C stops all)');
process.exit((await runServices({}, process.env.PGHOST ? {} : localDatabaseEnv())) ? 0 : 1);
