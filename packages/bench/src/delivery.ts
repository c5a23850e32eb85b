import { drive, profileMix, rssMb, startCollector, startStack, type LoadResult, type RunningService } from '@cruddur/testkit';

export interface DeliveryResult {
  rate: number;
  seconds: number;
  load: LoadResult;
  spansCreated: number;
  spansReceived: number;
  spansDropped: number;
  spansFailed: number;
  /** RSS per service after a short warm-up (the profile's mix at 50 req/s for 10 s), and after the delivery run. */
  warmRssMb: Record<string, number>;
  loadedRssMb: Record<string, number>;
}

interface Stats {
  spansEnded: number;
  spansDropped: number;
  spansFailed: number;
}

const statsOf = async (service: RunningService) => (await (await fetch(`${service.url}/telemetryz`)).json()) as Stats;

/**
 * A short warm-up, then the profile's mix at a sustained rate through the real collector
 * (spans of both count); then every service
 * stops (flushing), the collector stops (flushing its file), and the spans in the file are
 * counted against the spans the services ended.
 */
export async function measureDelivery(rate: number, seconds: number): Promise<DeliveryResult> {
  const collector = await startCollector({ overlays: ['base', 'local', 'file'] });
  const stack = await startStack({ otlpEndpoint: collector.otlpHttpUrl });
  const services = Object.values(stack.services);
  const rssNow = () => Object.fromEntries(services.map((s) => [s.name, rssMb(s.child.pid!)]));
  try {
    await drive({ url: stack.gatewayUrl, seconds: 10, connections: 8, rate: 50, requests: profileMix() });
    const warmRssMb = rssNow();
    const load = await drive({ url: stack.gatewayUrl, seconds, connections: 32, rate, requests: profileMix() });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const loadedRssMb = rssNow();
    const stats = await Promise.all(services.map(statsOf));
    await stack.stop();
    await collector.stop();
    const received = (await collector.readSpans()).length;
    return {
      rate,
      seconds,
      load,
      spansCreated: stats.reduce((sum, s) => sum + s.spansEnded, 0),
      spansReceived: received,
      spansDropped: stats.reduce((sum, s) => sum + s.spansDropped, 0),
      spansFailed: stats.reduce((sum, s) => sum + s.spansFailed, 0),
      warmRssMb,
      loadedRssMb,
    };
  } finally {
    await stack.stop();
    await collector.stop();
    collector.remove();
  }
}
