// make bench-sampling: the tail-sampling tier at a steady rate of the traffic profile's mix,
// on loopback: two agents (the services split between them) and two samplers, as the chart's
// sampling.tail runs them. Prints the spans that went in and came out, and what the tier's
// collectors spent per 1,000 spans a second. Figures only; nothing is asserted.
import { drive, profileMix, rssMb, startCollector, startStack, type RunningCollector } from '@cruddur/testkit';
import { cpuSeconds } from './cpu';
import { positiveNumber } from './env';
import { withLocalPostgres } from './database';

const RATE = positiveNumber('BENCH_SAMPLING_RATE', 150);
const SECONDS = positiveNumber('BENCH_SAMPLING_SECONDS', 60);
/** Short enough to wait out at the end; long enough for every trace of the mix. */
const DECISION_WAIT = '3s';

interface Stats {
  spansEnded: number;
}

async function main(): Promise<void> {
  const log = (line: string) => console.error(line);
  const samplers = await Promise.all([1, 2].map(() => startCollector({ overlays: ['base', 'local', 'sampler', 'file'], env: { TAIL_DECISION_WAIT: DECISION_WAIT } })));
  const ring = { SAMPLER_ENDPOINTS: `[${samplers.map((s) => s.otlpGrpcEndpoint).join(', ')}]` };
  const agents = await Promise.all([1, 2].map(() => startCollector({ overlays: ['base', 'local', 'agent-tail', 'samplers-static'], env: ring })));
  const collectors = [...agents, ...samplers];
  const [a, b] = agents.map((agent) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: agent.otlpHttpUrl }));
  const stack = await startStack({
    otlpEndpoint: agents[0]!.otlpHttpUrl,
    serviceEnv: { gateway: a, activities: a, users: a, search: b, messages: b, notifications: b },
  });
  try {
    log(`sampling bench: the profile's mix at ${RATE} req/s for ${SECONDS} s through 2 agents and 2 samplers (decision wait ${DECISION_WAIT})`);
    await drive({ url: stack.gatewayUrl, seconds: 5, connections: 8, rate: 50, requests: profileMix() });
    const cpuBefore = new Map(collectors.map((c) => [c, cpuSeconds(c.pid)]));
    const load = await drive({ url: stack.gatewayUrl, seconds: SECONDS, connections: 16, rate: RATE, requests: profileMix() });
    const cpu = new Map(collectors.map((c) => [c, cpuSeconds(c.pid) - cpuBefore.get(c)!]));
    const rss = new Map(collectors.map((c) => [c, rssMb(c.pid)]));
    const stats = await Promise.all(Object.values(stack.services).map(async (s) => ((await (await fetch(`${s.url}/telemetryz`)).json()) as Stats).spansEnded));
    await stack.stop();
    await Promise.all(agents.map((agent) => agent.stop()));
    await Promise.all(samplers.map((sampler) => sampler.stop()));
    const kept = (await Promise.all(samplers.map((s) => s.readSpans()))).flat();
    const spansIn = stats.reduce((sum, n) => sum + n, 0);
    const spansPerSecond = spansIn / SECONDS;
    const perThousand = (seconds: number) => ((1000 * seconds) / SECONDS / (spansPerSecond / 1000)).toFixed(0);
    const row = (tier: string, members: RunningCollector[]) => {
      const cpuSum = members.reduce((sum, c) => sum + cpu.get(c)!, 0);
      const rssList = members.map((c) => rss.get(c)!.toFixed(0)).join(' and ');
      return `${tier}: ${(cpuSum / SECONDS).toFixed(3)} CPU cores in all, ${perThousand(cpuSum)} CPU ms/s per 1,000 spans/s; RSS ${rssList} MB`;
    };
    const byRate = new Map<string, number>();
    for (const span of kept) byRate.set(String(span.attributes.SampleRate), (byRate.get(String(span.attributes.SampleRate)) ?? 0) + 1);
    console.log(`requests: ${load.requests} at ${load.rps.toFixed(0)} req/s, ${load.failures} failed`);
    console.log(`spans in: ${spansIn} (${spansPerSecond.toFixed(0)}/s); kept: ${kept.length} (${((100 * kept.length) / spansIn).toFixed(1)} %), by SampleRate: ${[...byRate].map(([rate, n]) => `${rate}: ${n}`).join(', ')}`);
    console.log(row('agents', agents));
    console.log(row('samplers', samplers));
  } finally {
    await stack.stop();
    for (const collector of collectors) {
      await collector.stop();
      collector.remove();
    }
  }
}

withLocalPostgres(main).catch((error: unknown) => {
  console.error(`sampling bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
