// Smoke: every route of the profile once, in order, with checks on status and shape.
// k6 run loadtests/k6/smoke.ts   (BASE_URL=http://host:port to aim elsewhere)
import type { Options } from 'k6/options';
import { REQUESTS } from '../src/traffic-profile.ts';
import { send, thresholds } from './lib.ts';

export const options: Options = {
  vus: 1,
  iterations: 1,
  thresholds: thresholds(),
};

export default function smoke(): void {
  for (const request of REQUESTS) send(request);
}
