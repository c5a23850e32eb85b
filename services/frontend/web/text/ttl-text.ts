import type { Ttl } from '../api/contract';

/**
 * The lifetimes an activity can be given, in the order the form offers them, with their
 * labels. A Record over the contract's Ttl: a lifetime the contract adds fails to compile
 * here until it has a label.
 */
export const TTL_TEXT: Readonly<Record<Ttl, string>> = {
  '30-days': '30 days',
  '7-days': '7 days',
  '3-days': '3 days',
  '1-day': '1 day',
  '12-hours': '12 hours',
  '3-hours': '3 hours',
  '1-hour': '1 hour',
};

export const TTL_CHOICES = Object.keys(TTL_TEXT) as Ttl[];
