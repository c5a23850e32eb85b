/**
 * The one traffic profile: which requests make up Cruddur's load, in what proportion, with
 * what bodies, and how fast each must answer. The k6 scripts and the local benchmark both
 * draw from it, so a figure from one means the same mix as a figure from the other.
 * Plain data and pure functions only: k6 runs this file as it is, Node runs it compiled.
 */

export interface ProfileRequest {
  /** Tags the k6 metrics (`route:`) and names the row in reports. */
  name: string;
  /** Relative share of the mix. */
  weight: number;
  method: 'GET' | 'POST';
  path: string;
  body?: Record<string, string>;
  /** What a correct answer looks like. */
  expect: { status: number; shape: 'list' | 'object' };
  /** Latency thresholds for this route, in milliseconds. */
  p95Ms: number;
  p99Ms: number;
}

const ANDREW_ACTIVITY = '68f126b0-1ceb-4a33-88be-d90fa7109eee';

/**
 * Mostly home-feed reads, some searches, user pages and message reads, a few writes.
 * Writes use the shortest TTL, so a long run's activities expire instead of piling up.
 */
export const REQUESTS: readonly ProfileRequest[] = [
  { name: 'home', weight: 45, method: 'GET', path: '/api/activities/home', expect: { status: 200, shape: 'list' }, p95Ms: 150, p99Ms: 400 },
  { name: 'search', weight: 12, method: 'GET', path: '/api/activities/search?term=cloud', expect: { status: 200, shape: 'list' }, p95Ms: 150, p99Ms: 400 },
  { name: 'user_feed', weight: 10, method: 'GET', path: '/api/activities/@worf', expect: { status: 200, shape: 'list' }, p95Ms: 150, p99Ms: 400 },
  { name: 'show_activity', weight: 5, method: 'GET', path: `/api/activities/${ANDREW_ACTIVITY}`, expect: { status: 200, shape: 'object' }, p95Ms: 150, p99Ms: 400 },
  { name: 'notifications', weight: 6, method: 'GET', path: '/api/activities/notifications', expect: { status: 200, shape: 'list' }, p95Ms: 100, p99Ms: 300 },
  { name: 'message_groups', weight: 7, method: 'GET', path: '/api/message_groups', expect: { status: 200, shape: 'list' }, p95Ms: 150, p99Ms: 400 },
  { name: 'conversation', weight: 6, method: 'GET', path: '/api/messages/@worf', expect: { status: 200, shape: 'list' }, p95Ms: 150, p99Ms: 400 },
  { name: 'user_short', weight: 4, method: 'GET', path: '/api/users/@garek/short', expect: { status: 200, shape: 'object' }, p95Ms: 100, p99Ms: 300 },
  { name: 'create_activity', weight: 2, method: 'POST', path: '/api/activities', body: { message: 'Load test says hello', ttl: '1-hour' }, expect: { status: 200, shape: 'object' }, p95Ms: 200, p99Ms: 500 },
  { name: 'reply', weight: 2, method: 'POST', path: `/api/activities/${ANDREW_ACTIVITY}/reply`, body: { message: 'A load-test reply' }, expect: { status: 200, shape: 'object' }, p95Ms: 200, p99Ms: 500 },
  { name: 'create_message', weight: 1, method: 'POST', path: '/api/messages', body: { message: 'Load test message', user_receiver_handle: 'worf' }, expect: { status: 200, shape: 'object' }, p95Ms: 200, p99Ms: 500 },
];

/** The share of failed requests any run may have. */
export const MAX_FAILED_RATE = 0.01;

/** The W3C baggage every load-test request carries; the services copy it onto their spans. */
export const LOADTEST_BAGGAGE = 'app.traffic=loadtest';

const TOTAL_WEIGHT = REQUESTS.reduce((sum, r) => sum + r.weight, 0);

/** The request at `random` (0 ≤ random < 1) of the weighted mix. */
export function pickRequest(random: number): ProfileRequest {
  let remaining = random * TOTAL_WEIGHT;
  for (const request of REQUESTS) {
    remaining -= request.weight;
    if (remaining < 0) return request;
  }
  return REQUESTS[REQUESTS.length - 1]!;
}

/** A W3C traceparent for a new sampled trace, from 24 random bytes (16 for the trace id, 8 for the parent). */
export function traceparent(random: Uint8Array): string {
  let hex = '';
  for (const byte of random) hex += byte.toString(16).padStart(2, '0');
  return `00-${hex.slice(0, 32)}-${hex.slice(32, 48)}-01`;
}

/** Whether a response body has the expected shape (a list, or an object with a uuid). */
export function hasShape(body: unknown, shape: ProfileRequest['expect']['shape']): boolean {
  if (shape === 'list') return Array.isArray(body);
  return body !== null && typeof body === 'object' && !Array.isArray(body) && typeof (body as { uuid?: unknown }).uuid === 'string';
}
