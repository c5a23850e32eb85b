import { createUpstream, httpUrl, millis, type Upstream } from '@cruddur/service-kit';

/** The domain services the gateway routes to, with their local default ports. */
export const UPSTREAM_DEFAULTS = {
  activities: 4571,
  notifications: 4572,
  messages: 4573,
  users: 4574,
  search: 4575,
} as const;

export type UpstreamName = keyof typeof UPSTREAM_DEFAULTS;
export type Upstreams = Record<UpstreamName, Upstream>;

const entries = Object.entries(UPSTREAM_DEFAULTS) as Array<[UpstreamName, number]>;

/** ACTIVITIES_URL, ACTIVITIES_TIMEOUT_MS, … : one address and one timeout per upstream. */
export const upstreamConfig = Object.fromEntries(
  entries.flatMap(([name, port]) => [
    [`${name.toUpperCase()}_URL`, httpUrl(`http://127.0.0.1:${port}`)],
    [`${name.toUpperCase()}_TIMEOUT_MS`, millis(3000)],
  ]),
) as Record<`${Uppercase<UpstreamName>}_URL`, ReturnType<typeof httpUrl>> &
  Record<`${Uppercase<UpstreamName>}_TIMEOUT_MS`, ReturnType<typeof millis>>;

export function createUpstreams(config: Record<string, unknown>): Upstreams {
  return Object.fromEntries(
    entries.map(([name]) => {
      const key = name.toUpperCase();
      return [name, createUpstream({ name, baseURL: config[`${key}_URL`] as string, timeoutMs: config[`${key}_TIMEOUT_MS`] as number })];
    }),
  ) as Upstreams;
}
