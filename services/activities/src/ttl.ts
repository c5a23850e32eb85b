import type { Ttl } from '@cruddur/api-contract';

const HOUR = 3_600_000;

/** How long each of the contract's lifetimes lasts; a lifetime added there fails to compile here until it has one. */
export const TTL_MILLIS: Readonly<Record<Ttl, number>> = {
  '30-days': 30 * 24 * HOUR,
  '7-days': 7 * 24 * HOUR,
  '3-days': 3 * 24 * HOUR,
  '1-day': 24 * HOUR,
  '12-hours': 12 * HOUR,
  '3-hours': 3 * HOUR,
  '1-hour': HOUR,
};
