// Stress and soak. MODE=stress (default) climbs in steps to 4× RATE to find where latency
// breaks; MODE=soak holds RATE for DURATION (default 30m) to show leaks and drift.
// Latency budgets are doubled: the question here is failures and trends, not the tail.
import type { Options, Scenario } from 'k6/options';
import { pickRequest } from '../src/traffic-profile.ts';
import { send, thresholds } from './lib.ts';

const RATE = Number(__ENV.RATE || 50);
const MODE = __ENV.MODE || 'stress';

const stress: Scenario = {
  executor: 'ramping-arrival-rate',
  startRate: RATE,
  timeUnit: '1s',
  preAllocatedVUs: RATE,
  maxVUs: RATE * 8,
  stages: [1, 2, 3, 4].flatMap((step) => [
    { target: RATE * step, duration: '30s' },
    { target: RATE * step, duration: '1m' },
  ]),
};

const soak: Scenario = {
  executor: 'constant-arrival-rate',
  rate: RATE,
  timeUnit: '1s',
  duration: __ENV.DURATION || '30m',
  preAllocatedVUs: Math.max(10, RATE),
  maxVUs: RATE * 4,
};

if (MODE !== 'stress' && MODE !== 'soak') throw new Error(`MODE must be stress or soak, not "${MODE}"`);

export const options: Options = {
  scenarios: { [MODE]: MODE === 'soak' ? soak : stress },
  thresholds: thresholds(2),
};

export default function stressOrSoak(): void {
  send(pickRequest(Math.random()));
}
