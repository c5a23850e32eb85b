import { startService } from '@cruddur/service-kit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeFrontend } from './compose';
import { frontendConfig } from './config';

/** service.version of the browser's spans: this package's, as the server's own spans have it. */
const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };

startService({
  defaultPort: 3000,
  config: frontendConfig,
  compose: (config) => composeFrontend(config, version),
});
