// Starts the six built services as real processes with their real telemetry preload, and
// asserts on the spans they export to an OTLP/HTTP receiver inside the test.
import {
  callApi,
  callEdges,
  childrenOf,
  rootsOf,
  serverSpan,
  SpanKind,
  spansOfTrace,
  startTracedStack,
  StatusCode,
  type FlatSpan,
  type OtlpReceiver,
  type Stack,
} from '@cruddur/testkit';
import { randomBytes } from 'node:crypto';

let receiver: OtlpReceiver;
let stack: Stack;

let stopAll: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ receiver, stack, stop: stopAll } = await startTracedStack());
}, 60_000);

afterAll(() => stopAll?.());

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** Sends a request with a fresh traceparent and returns its answer (held to the contract) and trace id. */
async function tracedRequest(path: string, init: RequestInit = {}) {
  const traceId = hex(16);
  const parentId = hex(8);
  const { status, body } = await callApi(`${stack.gatewayUrl}${path}`, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), traceparent: `00-${traceId}-${parentId}-01` },
  });
  return { status, traceId, parentId, body };
}

/** Waits until the trace holds `count` spans including one SERVER span per expected service, then returns it. */
async function collectTrace(traceId: string, services: string[]): Promise<FlatSpan[]> {
  await receiver.waitForSpans((spans) => {
    const trace = spansOfTrace(spans, traceId);
    return services.every((svc) => trace.some((s) => s.service === svc && s.kind === SpanKind.SERVER));
  });
  // Children end before parents; give the last batch a moment to land.
  await new Promise((r) => setTimeout(r, 300));
  return spansOfTrace(receiver.spans, traceId);
}

/** A call to another service (the native CLIENT span), not a database query. */
const isHttpClient = (s: FlatSpan) => s.kind === SpanKind.CLIENT && s.attributes['http.request.method'] !== undefined;
/** A query of the pg instrumentation. */
const isDbQuery = (s: FlatSpan) => s.kind === SpanKind.CLIENT && s.attributes['db.system.name'] === 'postgresql';

function only(trace: FlatSpan[], predicate: (s: FlatSpan) => boolean, what: string): FlatSpan {
  const found = trace.filter(predicate);
  if (found.length !== 1) throw new Error(`expected one ${what}, found ${found.length}: ${found.map((s) => `${s.service}:${s.name}`).join(', ')}`);
  return found[0]!;
}

describe('a request through the gateway is one connected trace', () => {
  it('honours the incoming traceparent and links gateway → activities → users', async () => {
    const { status, traceId, parentId } = await tracedRequest('/api/activities/home');
    expect(status).toBe(200);
    const trace = await collectTrace(traceId, ['gateway', 'activities', 'users']);

    const roots = rootsOf(trace);
    expect(roots).toHaveLength(1);
    const gateway = roots[0]!;
    expect(gateway).toMatchObject({ service: 'gateway', kind: SpanKind.SERVER, parentSpanId: parentId });
    expect(gateway.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/api/activities/home',
      'http.response.status_code': 200,
      'app.upstream': 'activities',
    });

    const toActivities = only(childrenOf(trace, gateway), (s) => s.kind === SpanKind.CLIENT, 'gateway client span');
    const activities = only(childrenOf(trace, toActivities), (s) => s.kind === SpanKind.SERVER, 'activities server span');
    expect(activities.service).toBe('activities');
    expect(activities.attributes['http.route']).toBe('/api/activities/home');

    const home = only(childrenOf(trace, activities), (s) => s.name === 'activities.home', 'activities.home span');
    expect(home.kind).toBe(SpanKind.INTERNAL);
    expect(home.attributes['app.result_length']).toBeGreaterThanOrEqual(3);
    expect(Date.parse(String(home.attributes['app.now']))).not.toBeNaN();

    const toUsers = only(childrenOf(trace, home), isHttpClient, 'activities client span');
    const users = only(childrenOf(trace, toUsers), (s) => s.kind === SpanKind.SERVER, 'users server span');
    expect(users.service).toBe('users');
    const lookup = only(childrenOf(trace, users), (s) => s.name === 'users.lookup', 'users.lookup span');
    expect(lookup.attributes['app.result_length']).toBe(3);

    // Each domain span's database query: a CLIENT span of the pg instrumentation under it.
    for (const [domain, table] of [[home, 'activities.activities'], [lookup, 'users.users']] as const) {
      const query = only(childrenOf(trace, domain), isDbQuery, `${domain.name}'s query span`);
      expect(query).toMatchObject({ service: domain.service, kind: SpanKind.CLIENT, name: `pg.query:SELECT ${stack.database.name}` });
      expect(query.status.code).not.toBe(StatusCode.ERROR);
      expect(query.attributes).toMatchObject({
        'db.system.name': 'postgresql',
        'db.namespace': stack.database.name,
        'db.operation.name': 'SELECT',
        'server.address': '127.0.0.1',
        'server.port': Number(stack.database.envFor(domain.service as 'users').PGPORT),
      });
      expect(String(query.attributes['db.query.text'])).toContain(table);
      expect(String(query.attributes['db.query.text'])).toContain('$1');
    }

    expect(callEdges(trace).map((e) => `${e.caller}->${e.callee}`).sort()).toEqual(['activities->users', 'gateway->activities']);
  });

  it('follows search two hops deep: gateway → search → activities → users', async () => {
    const { status, traceId, body } = await tracedRequest('/api/activities/search?term=cloud');
    expect(status).toBe(200);
    expect((body as unknown[]).length).toBeGreaterThan(0);
    const trace = await collectTrace(traceId, ['gateway', 'search', 'activities', 'users']);
    expect(rootsOf(trace)).toHaveLength(1);
    expect(callEdges(trace).map((e) => `${e.caller}->${e.callee}`).sort()).toEqual([
      'activities->users',
      'gateway->search',
      'search->activities',
    ]);
    const search = only(trace, (s) => s.name === 'search.activities', 'search span');
    expect(search.service).toBe('search');
    expect(search.attributes).toMatchObject({ 'app.search.term': 'cloud', 'app.result_length': (body as unknown[]).length });
  });

  it('starts a new trace at the gateway when no traceparent comes in', async () => {
    const { status } = await callApi(`${stack.gatewayUrl}/api/message_groups`);
    expect(status).toBe(200);
    const gateway = await receiver.waitForSpans((spans) =>
      spans.some((s) => s.service === 'gateway' && s.attributes['http.route'] === '/api/message_groups' && !s.parentSpanId),
    );
    const root = gateway.find((s) => s.service === 'gateway' && s.attributes['http.route'] === '/api/message_groups' && !s.parentSpanId)!;
    const trace = await collectTrace(root.traceId, ['gateway', 'messages', 'users']);
    expect(rootsOf(trace)).toEqual([root]);
    const groups = only(trace, (s) => s.name === 'messages.groups', 'messages.groups span');
    expect(groups.attributes).toMatchObject({ 'app.user.handle': 'andrewbrown', 'app.result_length': 2 });
  });

  it('treats junk trace headers as absent: the request succeeds in a fresh trace', async () => {
    const { status, body } = await callApi(`${stack.gatewayUrl}/api/users/@worf/short`, {
      headers: { traceparent: 'zz-not-a-trace', tracestate: '=,=,=', baggage: ';;;==,%%%' },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ handle: 'worf', display_name: 'Worf' });
    const spans = await receiver.waitForSpans((all) =>
      all.some((s) => s.service === 'users' && s.name === 'users.short' && s.attributes['app.user.handle'] === 'worf'),
    );
    const short = spans.find((s) => s.name === 'users.short' && s.attributes['app.user.handle'] === 'worf')!;
    const trace = await collectTrace(short.traceId, ['gateway', 'users']);
    expect(rootsOf(trace)).toHaveLength(1);
    expect(rootsOf(trace)[0]!.parentSpanId).toBeUndefined();
  });

  it('carries the load-test baggage mark onto the spans of every service', async () => {
    const { traceId } = await tracedRequest('/api/activities/home', { headers: { baggage: 'app.traffic=loadtest' } });
    const trace = await collectTrace(traceId, ['gateway', 'activities', 'users']);
    const marked = new Set(trace.filter((s) => s.attributes['app.traffic'] === 'loadtest').map((s) => s.service));
    expect([...marked].sort()).toEqual(['activities', 'gateway', 'users']);
  });

  it('names each service by its folder, in the cruddur namespace, with its version', async () => {
    const { traceId } = await tracedRequest('/api/activities/notifications');
    const trace = await collectTrace(traceId, ['gateway', 'notifications']);
    for (const span of trace) {
      expect(span.resource).toMatchObject({ 'service.namespace': 'cruddur', 'service.version': '1.0.0' });
      expect(['gateway', 'notifications']).toContain(span.resource['service.name']);
    }
    const list = only(trace, (s) => s.name === 'notifications.list', 'notifications.list span');
    expect(list.attributes).toMatchObject({ 'app.user.handle': 'andrewbrown', 'app.result_length': 2 });
  });
});

describe('domain spans record what a person debugging would filter on', () => {
  it('marks a rejected write ERROR with the exception, while the answer is a 422 list', async () => {
    const { status, traceId, body } = await tracedRequest('/api/activities', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: '   ', ttl: 'forever' }),
    });
    expect(status).toBe(422);
    expect(body).toEqual(['message_blank', 'ttl_blank']);
    const trace = await collectTrace(traceId, ['gateway', 'activities']);
    const create = only(trace, (s) => s.name === 'activities.create', 'activities.create span');
    expect(create.status.code).toBe(StatusCode.ERROR);
    expect(create.attributes).toMatchObject({ 'app.user.handle': 'andrewbrown', 'app.ttl': 'forever' });
    expect(create.events.some((e) => e.name === 'exception' && String(e.attributes['exception.message']).includes('message_blank'))).toBe(true);
    expect(serverSpan(trace, 'gateway')!.attributes['http.response.status_code']).toBe(422);
  });

  it('records the new activity uuid and ttl on a successful create', async () => {
    const { status, traceId, body } = await tracedRequest('/api/activities', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'Traced!', ttl: '3-hours' }),
    });
    expect(status).toBe(200);
    const trace = await collectTrace(traceId, ['gateway', 'activities', 'users']);
    const create = only(trace, (s) => s.name === 'activities.create', 'activities.create span');
    expect(create.status.code).not.toBe(StatusCode.ERROR);
    expect(create.attributes).toMatchObject({ 'app.activity.uuid': (body as { uuid: string }).uuid, 'app.ttl': '3-hours' });
  });

  it("shows a write's queries under its domain span, parameterised: what the user wrote is on no span", async () => {
    const message = `O'Brien says "hi" 🚀 ${hex(6)}`;
    const { status, traceId, body } = await tracedRequest('/api/activities', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message, ttl: '1-hour' }),
    });
    expect(status).toBe(200);
    const trace = await collectTrace(traceId, ['gateway', 'activities', 'users']);
    const create = only(trace, (s) => s.name === 'activities.create', 'activities.create span');
    const insert = only(childrenOf(trace, create), isDbQuery, 'activities.create query span');
    expect(insert.name).toBe(`pg.query:INSERT ${stack.database.name}`);
    expect(insert.attributes).toMatchObject({ 'db.operation.name': 'INSERT', 'db.namespace': stack.database.name });
    expect(String(insert.attributes['db.query.text'])).toMatch(/^\s*INSERT INTO activities\.activities .*VALUES \(\$1, \$2, \$3, \$4, \$5, \$6, \$7\)/s);
    // Neither the message nor the new uuid appears in any attribute of any query span.
    for (const span of trace.filter(isDbQuery)) {
      for (const value of Object.values(span.attributes)) {
        expect(String(value)).not.toContain(message.slice(0, 8));
        expect(String(value)).not.toContain((body as { uuid: string }).uuid);
      }
    }
  });

  it('records the message group uuid on a conversation read', async () => {
    const { traceId } = await tracedRequest('/api/messages/@worf');
    const trace = await collectTrace(traceId, ['gateway', 'messages', 'users']);
    const conversation = only(trace, (s) => s.name === 'messages.conversation', 'messages.conversation span');
    expect(conversation.attributes).toMatchObject({
      'app.user.handle': 'andrewbrown',
      'app.message_group.uuid': '24b95582-9e7b-4e0a-9ad1-639773ab7552',
    });
    expect(conversation.attributes['app.result_length']).toBeGreaterThanOrEqual(2);
  });
});

describe('attributes from client input stay bounded', () => {
  it('cuts an oversized value to the attribute length limit (1024 by default)', async () => {
    const ttl = 'x'.repeat(5000);
    const { status, traceId } = await tracedRequest('/api/activities', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'hello', ttl }),
    });
    expect(status).toBe(422);
    const trace = await collectTrace(traceId, ['gateway', 'activities']);
    const create = only(trace, (s) => s.name === 'activities.create', 'activities.create span');
    expect(create.attributes['app.ttl']).toBe('x'.repeat(1024));
  });
});
