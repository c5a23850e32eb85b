import { pickRequest } from '@cruddur/loadtests';
import { percentile } from '@cruddur/service-map';
import autocannon from 'autocannon';

export interface LoadResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Transport errors plus non-2xx answers. */
  failures: number;
  /** How the failures failed: status codes, and `errors`/`timeouts` for transport failures. */
  failedBy: Record<string, number>;
}

export interface DriveOptions {
  url: string;
  /** How long to drive; with `amount`, an upper bound. */
  seconds: number;
  /** Stop after this many requests instead of after `seconds`. */
  amount?: number;
  connections: number;
  /** Requests per second across all connections; omitted = as fast as the server answers (closed loop). */
  rate?: number;
  /** Requests to cycle through (method, path, body); default a GET of the url. */
  requests?: autocannon.Request[];
}

/**
 * Drives `url` with autocannon on loopback and measures latency from each response's own
 * timing: autocannon's histogram has whole-millisecond resolution, too coarse for
 * sub-millisecond differences.
 */
export async function drive({ url, seconds, amount, connections, rate, requests }: DriveOptions): Promise<LoadResult> {
  const started = performance.now();
  const latencies: number[] = [];
  const failedBy: Record<string, number> = {};
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        ...(amount ? { amount } : { duration: seconds }),
        ...(rate ? { overallRate: rate } : {}),
        ...(requests ? { requests } : {}),
        headers: { baggage: 'app.traffic=bench', 'content-type': 'application/json' },
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, status, _bytes, responseTime) => {
      latencies.push(responseTime);
      if (status < 200 || status > 299) failedBy[status] = (failedBy[status] ?? 0) + 1;
    });
  });
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    rps: latencies.length / (amount ? (performance.now() - started) / 1000 : seconds),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    failures: result.errors + result.timeouts + result.non2xx,
    failedBy: { ...failedBy, ...(result.errors ? { errors: result.errors } : {}), ...(result.timeouts ? { timeouts: result.timeouts } : {}) },
  };
}

/** 100 requests of the shared traffic profile in its proportions (writes included), in a fixed interleaved order. */
export function profileMix(): autocannon.Request[] {
  return Array.from({ length: 100 }, (_, i) => pickRequest(((i * 37) % 100) / 100 + 0.005)).map((r) => ({
    method: r.method,
    path: r.path,
    ...(r.body ? { body: JSON.stringify(r.body) } : {}),
  }));
}
