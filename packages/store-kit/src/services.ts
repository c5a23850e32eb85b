/**
 * The services that own a PostgreSQL schema, each with a role of the same name. search has
 * none: it asks activities. The gateway and the frontend hold no data.
 */
export const STORE_SERVICES = ['activities', 'notifications', 'messages', 'users'] as const;
export type StoreService = (typeof STORE_SERVICES)[number];

export const isStoreService = (name: string): name is StoreService => (STORE_SERVICES as readonly string[]).includes(name);

/** The variable holding a service role's password for the bootstrap and migrate commands: ACTIVITIES_DB_PASSWORD, … */
export const passwordVariable = (service: StoreService): string => `${service.toUpperCase()}_DB_PASSWORD`;
