import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface ServiceIdentity {
  /** The service's folder name (gateway, activities, …): the trace's `service.name`. */
  name: string;
  version: string;
}

/**
 * Who this process is, read from the package.json nearest to the entry script, so
 * `node services/activities/dist/main.js` is "activities" wherever it is installed.
 * OTEL_SERVICE_NAME, when set (the chart sets it), names the service instead.
 */
export function serviceIdentity(entry: string | undefined = process.argv[1], env = process.env): ServiceIdentity {
  let dir = entry ? dirname(realpathSync(entry)) : process.cwd();
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string };
      return { name: env.OTEL_SERVICE_NAME || basename(dir), version: version ?? '0.0.0' };
    }
    const parent = dirname(dir);
    if (parent === dir) return { name: env.OTEL_SERVICE_NAME || 'unknown_service', version: '0.0.0' };
    dir = parent;
  }
}
