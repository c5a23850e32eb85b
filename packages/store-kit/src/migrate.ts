import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as NodePgMigrate from 'node-pg-migrate';
import type { ClientConfig } from 'pg';
import type { StoreService } from './services';

/** Where node-pg-migrate records what it ran, in the service's own schema. */
export const MIGRATIONS_TABLE = 'pgmigrations';

/**
 * A service's migrations: the compiled files of its src/migrations/ (dist/migrations), found
 * through its package, so they ship inside the service's build and its image.
 */
export function migrationsDir(service: StoreService): string {
  const dir = join(dirname(require.resolve(`@cruddur/${service}/package.json`)), 'dist', 'migrations');
  if (!existsSync(dir)) throw new Error(`${dir} is missing: build first (make build)`);
  return dir;
}

/**
 * The files that are not migrations: dotfiles (node-pg-migrate's default), and what tsc writes
 * beside each compiled one (declarations, source maps), which the image leaves out anyway.
 */
const NOT_MIGRATIONS = '\\..*|.*\\.d\\.ts|.*\\.map';

/**
 * The compiled migrations are CommonJS: loaded with Node's own require, rather than
 * node-pg-migrate's default loader (jiti), which transpiles every file through Babel and
 * writes a cache into node_modules, which an image's read-only file system refuses.
 */
const requireCompiled: NodePgMigrate.RunnerOption['migrationLoaderStrategies'] = [
  {
    extensions: ['.js'],
    loader: async (filePaths) => filePaths.map((filePath) => ({ id: filePath, filePaths: [filePath], actions: require(filePath) })),
  },
];

/**
 * Runs `service`'s pending migrations, connected as the service's own role (so what they
 * create is the service's), in one transaction: all of them or none. The record of what ran
 * is `<service>.pgmigrations`, so each migration runs once per database, however often this
 * is called; a second caller at the same time waits for the first (node-pg-migrate's advisory
 * lock) and then finds nothing to do. Returns the names of the migrations it ran. `dir`
 * names another folder of them (a test's).
 */
export async function migrate(service: StoreService, connection: ClientConfig, log: (line: string) => void = () => {}, dir: string = migrationsDir(service)): Promise<string[]> {
  // Required here, not imported: node-pg-migrate is an ES module with a loader and a CLI
  // behind it, which the services (who import this package for their pool) never need. Its
  // jiti instance, unused here (requireCompiled), is told not to make a cache folder.
  process.env.JITI_FS_CACHE ??= 'false';
  const { runner } = require('node-pg-migrate') as typeof NodePgMigrate;
  const ran = await runner({
    databaseUrl: connection,
    dir,
    ignorePattern: NOT_MIGRATIONS,
    migrationLoaderStrategies: requireCompiled,
    schema: service,
    migrationsSchema: service,
    migrationsTable: MIGRATIONS_TABLE,
    direction: 'up',
    checkOrder: true,
    singleTransaction: true,
    advisoryLockMode: 'wait',
    logger: { debug: () => {}, info: () => {}, warn: (line: string) => log(`${service}: ${line}`), error: (line: string) => log(`${service}: ${line}`) },
  });
  return ran.map((migration) => migration.name);
}
