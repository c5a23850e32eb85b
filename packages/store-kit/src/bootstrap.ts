import { escapeIdentifier, escapeLiteral, type Client } from 'pg';
import type { StoreService } from './services';

/** One service's role and the password to give it (undefined: keep the one it has). */
export interface RoleSpec {
  service: StoreService;
  password: string | undefined;
}

/**
 * Each service's login role, named after it, created if missing; given a password, the role
 * gets it (again), so a rotated Secret takes effect on the next run. A role that must be
 * created needs one. Roles belong to the whole server, not one database. Returns what it did,
 * a line per role.
 *
 * Identifiers and the password go into the DDL through node-postgres' own escaping: CREATE
 * ROLE takes no bound parameters.
 */
export async function ensureRoles(admin: Client, roles: readonly RoleSpec[]): Promise<string[]> {
  const done: string[] = [];
  for (const { service, password } of roles) {
    const role = escapeIdentifier(service);
    const { rowCount } = await admin.query('SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1', [service]);
    if (rowCount === 0) {
      if (password === undefined) throw new Error(`role ${service} does not exist and no password was given for it`);
      await admin.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD ${escapeLiteral(password)}`);
      done.push(`role ${service}: created`);
    } else if (password !== undefined) {
      await admin.query(`ALTER ROLE ${role} WITH LOGIN PASSWORD ${escapeLiteral(password)}`);
      done.push(`role ${service}: exists, password set`);
    } else {
      done.push(`role ${service}: exists, password kept`);
    }
  }
  return done;
}

/**
 * In the database `admin` is connected to: each service's schema, owned by its role, so its
 * migrations create what it needs there and nobody else may use it (a schema gives no access
 * to anyone but its owner until granted, and nothing is granted). The database itself admits
 * only those roles (and its owner and superusers), and nobody may create objects in `public`.
 * Everything is checked first, so a second run changes nothing; returns what it did.
 */
export async function ensureSchemas(admin: Client, services: readonly StoreService[]): Promise<string[]> {
  const done: string[] = [];
  const { rows } = await admin.query<{ database: string }>('SELECT current_database() AS database');
  const database = escapeIdentifier(rows[0]!.database);
  await admin.query(`REVOKE CONNECT, TEMPORARY ON DATABASE ${database} FROM PUBLIC`);
  await admin.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
  for (const service of services) {
    const name = escapeIdentifier(service);
    const { rows: owners } = await admin.query<{ owner: string }>(
      'SELECT pg_catalog.pg_get_userbyid(nspowner) AS owner FROM pg_catalog.pg_namespace WHERE nspname = $1',
      [service],
    );
    if (owners.length === 0) {
      await admin.query(`CREATE SCHEMA ${name} AUTHORIZATION ${name}`);
      done.push(`schema ${service}: created, owned by role ${service}`);
    } else if (owners[0]!.owner !== service) {
      await admin.query(`ALTER SCHEMA ${name} OWNER TO ${name}`);
      done.push(`schema ${service}: existed, now owned by role ${service}`);
    } else {
      done.push(`schema ${service}: exists`);
    }
    await admin.query(`GRANT CONNECT ON DATABASE ${database} TO ${name}`);
  }
  return done;
}
