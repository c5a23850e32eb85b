// `helm test`: every edge of Cruddur's call graph carries a request, and (with Jaeger in the
// cluster) those requests' one trace reaches Jaeger with spans from every service, so each
// service reached its node's collector and each collector reached Jaeger. It runs with node
// in the gateway's image; templates/tests/test-call-graph.yaml passes its settings:
//   GATEWAY_URL      the gateway's Service
//   ROUTES           JSON [{path, reaches: [service, ...]}]: GETs that together reach every service
//   REPEAT           how many times each route is sent (kube-proxy picks a pod per call)
//   TIMEOUT_MS       per request
//   SERVICES         JSON [service, ...]: every service whose spans the trace must hold
//   JAEGER_URL       Jaeger's query API; unset, with TRACE_UNCHECKED saying why
//   TRACE_WAIT_MS    how long the spans may take to arrive (the SDK's and collector's batching)
//   FRONTEND_URL     the frontend's Service: its page and the settings the browser app starts from
'use strict';
const { randomBytes } = require('node:crypto');

const env = process.env;
const routes = JSON.parse(env.ROUTES);
const services = JSON.parse(env.SERVICES);
const timeoutMs = Number(env.TIMEOUT_MS);
const traceId = randomBytes(16).toString('hex');
const hop = (route) => ['gateway', ...route.reaches].join(' → ');

/** GET through the gateway in the test's trace; resolves with the status and a short body, or the error. */
async function get(path) {
  const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
  try {
    const response = await fetch(env.GATEWAY_URL + path, { headers: { traceparent }, signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, body: (await response.text()).slice(0, 300) };
  } catch (error) {
    return { error: `${error.cause?.code ?? error.name}: ${error.message}` };
  }
}

async function checkRoutes() {
  const health = await get('/api/health-check');
  if (health.status !== 200 || !/"success":\s*true/.test(health.body ?? '')) {
    throw new Error(`GET ${env.GATEWAY_URL}/api/health-check: ${health.status ?? health.error} ${health.body ?? ''}`);
  }
  const failures = [];
  let sent = 1;
  for (let round = 0; round < Number(env.REPEAT); round++) {
    const answers = await Promise.all(routes.map(async (route) => ({ route, answer: await get(route.path) })));
    sent += answers.length;
    for (const { route, answer } of answers) {
      if (answer.status !== 200) failures.push(`GET ${route.path} (${hop(route)}): ${answer.status ?? ''} ${answer.error ?? answer.body}`);
    }
  }
  if (failures.length) throw new Error(`${failures.length} of ${sent} requests failed (a 502 or 504 names the service that did not answer):\n  ${failures.join('\n  ')}`);
  console.log(`call graph: ${sent} requests through ${env.GATEWAY_URL}, every edge crossed (${routes.map(hop).join('; ')}), all answered 200; trace ${traceId}`);
}

/** The trace in Jaeger, once it holds spans of every service or the wait is over. */
async function checkTrace() {
  if (!env.JAEGER_URL) {
    console.log(`trace delivery: not checked (${env.TRACE_UNCHECKED})`);
    return;
  }
  const deadline = Date.now() + Number(env.TRACE_WAIT_MS);
  let seen = new Map();
  for (;;) {
    const response = await fetch(`${env.JAEGER_URL}/api/traces/${traceId}`, { signal: AbortSignal.timeout(timeoutMs) }).catch(() => undefined);
    if (response?.ok) {
      const trace = (await response.json()).data?.[0];
      seen = new Map(Object.values(trace?.processes ?? {}).map((p) => [p.serviceName, p.tags?.find((t) => t.key === 'k8s.node.name')?.value]));
      if (services.every((s) => seen.has(s))) break;
    }
    if (Date.now() > deadline) {
      const missing = services.filter((s) => !seen.has(s));
      throw new Error(
        `trace ${traceId}: no spans from ${missing.join(', ')} in Jaeger after ${env.TRACE_WAIT_MS / 1000} s ` +
          `(each service sends to the collector on its node, which sends to Jaeger; spans arrived from ${[...seen.keys()].join(', ') || 'no service'})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const nodes = [...new Set(seen.values())].filter(Boolean).sort();
  console.log(`trace delivery: spans from all ${services.length} services in Jaeger, through the collectors on ${nodes.join(', ') || 'unnamed nodes'}`);
}

/** The frontend serves the app's page and its browser settings (the app's own calls go to the gateway). */
async function checkFrontend() {
  if (!env.FRONTEND_URL) return;
  const page = await fetch(`${env.FRONTEND_URL}/`, { signal: AbortSignal.timeout(timeoutMs) });
  const html = await page.text();
  if (page.status !== 200 || !/text\/html/.test(page.headers.get('content-type') ?? '') || !/<script[^>]+src=/.test(html)) {
    throw new Error(`GET ${env.FRONTEND_URL}/: ${page.status} ${page.headers.get('content-type')}, not the app's page`);
  }
  const settings = await fetch(`${env.FRONTEND_URL}/config.json`, { signal: AbortSignal.timeout(timeoutMs) });
  const config = settings.ok ? await settings.json() : {};
  if (!config.gatewayUrl || !config.tracesUrl) throw new Error(`GET ${env.FRONTEND_URL}/config.json: ${settings.status}, no gatewayUrl and tracesUrl`);
  console.log(`frontend: the app's page and its settings (gateway ${config.gatewayUrl}) from ${env.FRONTEND_URL}`);
}

checkRoutes()
  .then(checkTrace)
  .then(checkFrontend)
  .catch((error) => {
    console.error(`helm test failed: ${error.message}`);
    process.exit(1);
  });
