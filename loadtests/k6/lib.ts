// What every k6 script shares: the base URL, one traced request of the profile, the checks
// and the thresholds. The profile itself is ../src/traffic-profile.ts.
import { randomBytes } from 'k6/crypto';
import { check } from 'k6';
import http from 'k6/http';
import type { Options } from 'k6/options';
import { LOADTEST_BAGGAGE, MAX_FAILED_RATE, REQUESTS, hasShape, traceparent, type ProfileRequest } from '../src/traffic-profile.ts';

/** The gateway to load: BASE_URL, else the kind cluster's or the local run's port on this host. */
export const BASE_URL = (__ENV.BASE_URL || 'http://localhost:4567').replace(/\/+$/, '');

/** Sends one profile request as a new trace marked as load-test traffic, and checks its answer. */
export function send(request: ProfileRequest): void {
  const response = http.request(request.method, `${BASE_URL}${request.path}`, request.body ? JSON.stringify(request.body) : null, {
    headers: {
      traceparent: traceparent(new Uint8Array(randomBytes(24))),
      baggage: LOADTEST_BAGGAGE,
      'content-type': 'application/json',
    },
    tags: { route: request.name },
  });
  check(response, {
    [`${request.name}: status ${request.expect.status}`]: (r) => r.status === request.expect.status,
    [`${request.name}: ${request.expect.shape} shape`]: (r) => {
      try {
        return hasShape(r.json(), request.expect.shape);
      } catch {
        return false;
      }
    },
  });
}

/**
 * Fails the run (k6 exits non-zero) when more than MAX_FAILED_RATE of requests fail, or
 * any route's p95/p99 passes its budget. `slack` widens the latency budgets (stress runs).
 */
export function thresholds(slack = 1): NonNullable<Options['thresholds']> {
  const perRoute = Object.fromEntries(
    REQUESTS.map((r) => [`http_req_duration{route:${r.name}}`, [`p(95)<${r.p95Ms * slack}`, `p(99)<${r.p99Ms * slack}`]]),
  );
  return {
    http_req_failed: [{ threshold: `rate<${MAX_FAILED_RATE}`, abortOnFail: false }],
    checks: [`rate>${1 - MAX_FAILED_RATE}`],
    ...perRoute,
  };
}
