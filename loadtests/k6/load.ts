// Load: an arrival rate that ramps up, holds and ramps down, drawing each request from the
// profile's weighted mix. RATE (requests/s at the plateau, default 50) and HOLD (default 2m)
// scale it to the deployment.
import type { Options } from 'k6/options';
import { pickRequest } from '../src/traffic-profile.ts';
import { send, thresholds } from './lib.ts';

const RATE = Number(__ENV.RATE || 50);
const HOLD = __ENV.HOLD || '2m';

export const options: Options = {
  scenarios: {
    mix: {
      executor: 'ramping-arrival-rate',
      startRate: Math.max(1, Math.round(RATE / 10)),
      timeUnit: '1s',
      preAllocatedVUs: Math.max(10, Math.round(RATE / 2)),
      maxVUs: Math.max(50, RATE * 2),
      stages: [
        { target: RATE, duration: '30s' },
        { target: RATE, duration: HOLD },
        { target: 0, duration: '15s' },
      ],
    },
  },
  thresholds: thresholds(),
};

export default function load(): void {
  send(pickRequest(Math.random()));
}
