// `npm start`: the six services in one foreground command, each traced by the preload,
// their logs prefixed with their names. Ctrl-C or SIGTERM reaches every service, and each
// drains and flushes its spans before it exits.
import { concurrently } from 'concurrently';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Leaves first, so the callers find them listening; the gateway last.
const services = ['users', 'activities', 'notifications', 'messages', 'search', 'gateway'];

const missing = services.filter((name) => !existsSync(join(root, 'services', name, 'dist', 'main.js')));
if (missing.length > 0) {
  console.error(`not built: ${missing.join(', ')}. Run "npm run build" (or "make build") first.`);
  process.exit(1);
}

const { result } = concurrently(
  services.map((name) => ({
    name,
    command: `node --require @cruddur/service-kit/register services/${name}/dist/main.js`,
  })),
  {
    cwd: root,
    prefix: 'name',
    padPrefix: true,
    prefixColors: ['blue', 'green', 'magenta', 'cyan', 'yellow', 'white.bold'],
    // One service failing to start stops the others: a half-up stack answers with 502s that mislead.
    killOthersOn: ['failure'],
    killSignal: 'SIGTERM',
    killTimeout: 10_000,
    handleInput: false,
  },
);

console.log('gateway: http://127.0.0.1:4567/api/health-check (Ctrl-C stops all six)');
result.then(
  () => process.exit(0),
  () => process.exit(1),
);
