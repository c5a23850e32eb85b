import { callAsGateway, fakeUsersClient, MOCK_USERS, sequentialUuids, serveRoutes } from '@cruddur/testkit';
import { type Serving } from '@cruddur/service-kit';
import { activitiesRoutes } from '../src/routes';
import { seedActivities } from '../src/store';
import { activityFixture, type ActivityFixture } from './store-fixture';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const USERS = MOCK_USERS;
const fakeUsers = fakeUsersClient(USERS);
const CLOUD_POST = '68f126b0-1ceb-4a33-88be-d90fa7109eee';

let serving: Serving;
let fixture: ActivityFixture;

beforeAll(async () => {
  fixture = await activityFixture();
  await fixture.reset(seedActivities(NOW));
  const deps = { store: fixture.store, users: fakeUsers, now: () => NOW, newUuid: sequentialUuids() };
  serving = await serveRoutes(activitiesRoutes(deps));
});

afterAll(async () => {
  await serving.stop();
  await fixture.db.drop();
});

const call = (method: 'GET' | 'POST', path: string, body?: unknown, user?: string | null) => callAsGateway(serving.url, method, path, body, user);

describe('activities routes', () => {
  it('GET /api/activities/home lists the live activities', async () => {
    const { status, body } = await call('GET', '/api/activities/home');
    expect(status).toBe(200);
    expect(body).toHaveLength(4);
    expect(body[0]).toMatchObject({ handle: 'garek', display_name: 'Garek', replies: [] });
  });

  it('POST /api/activities creates an activity that the home feed then shows first', async () => {
    const created = await call('POST', '/api/activities', { message: ' Hello Cruddur ', ttl: '3-hours' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ handle: 'andrewbrown', display_name: 'Andrew Brown', message: 'Hello Cruddur' });
    expect(created.body.expires_at).toBe(new Date(NOW.getTime() + 3 * 3_600_000).toISOString());

    const home = await call('GET', '/api/activities/home');
    expect(home.body[0].uuid).toBe(created.body.uuid);
    const shown = await call('GET', `/api/activities/${created.body.uuid}`);
    expect(shown.status).toBe(200);
    expect(shown.body.message).toBe('Hello Cruddur');
  });

  it('POST /api/activities answers 422 with every code', async () => {
    const { status, body } = await call('POST', '/api/activities', { message: '', ttl: 'forever' });
    expect(status).toBe(422);
    expect(body).toEqual(['message_blank', 'ttl_blank']);
  });

  it('POST /api/activities with a JSON list body answers 422, not 500', async () => {
    const { status, body } = await call('POST', '/api/activities', ['message', 'ttl']);
    expect(status).toBe(422);
    expect(body).toEqual(['message_blank', 'ttl_blank']);
  });

  it('POST /api/activities with fields of the wrong type answers 422, not 500', async () => {
    const { status, body } = await call('POST', '/api/activities', { message: { toString: 1 }, ttl: { toString: 1 } });
    expect(status).toBe(422);
    expect(body).toEqual(['message_blank', 'ttl_blank']);
  });

  it('POST /api/activities with a JSON string or null body answers 400', async () => {
    // express.json is strict: only objects and lists are JSON bodies.
    expect((await call('POST', '/api/activities', 'hello')).status).toBe(400);
    expect((await call('POST', '/api/activities', null)).status).toBe(400);
  });

  it('POST /api/activities without a body answers 422', async () => {
    const response = await fetch(`${serving.url}/api/activities`, { method: 'POST', headers: { 'x-cruddur-user': 'andrewbrown' } });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual(['message_blank', 'ttl_blank']);
  });

  it('POST /api/activities without the acting user answers 401', async () => {
    const { status, body } = await call('POST', '/api/activities', { message: 'hi', ttl: '1-day' }, null);
    expect(status).toBe(401);
    expect(body).toMatchObject({ error: 'unauthenticated' });
  });

  it('POST /api/activities for a user the users service does not know answers 404', async () => {
    expect((await call('POST', '/api/activities', { message: 'hi', ttl: '1-day' }, 'nobody')).status).toBe(404);
  });

  it('GET /api/activities/:uuid shows one activity, 404 JSON for an unknown one', async () => {
    const found = await call('GET', `/api/activities/${CLOUD_POST}`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ uuid: CLOUD_POST, message: 'Cloud is very fun!', replies_count: 1 });
    const missing = await call('GET', '/api/activities/no-such-uuid');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: 'not_found' });
  });

  it('POST /api/activities/:uuid/reply replies; 422 when too long; 404 for an unknown activity', async () => {
    const reply = await call('POST', `/api/activities/${CLOUD_POST}/reply`, { message: 'Qapla!' }, 'worf');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ reply_to_activity_uuid: CLOUD_POST, handle: 'worf', display_name: 'Worf', message: 'Qapla!' });

    const tooLong = await call('POST', `/api/activities/${CLOUD_POST}/reply`, { message: 'x'.repeat(1025) }, 'worf');
    expect(tooLong.status).toBe(422);
    expect(tooLong.body).toEqual(['message_exceed_max_chars']);

    const unknown = await call('POST', '/api/activities/no-such-uuid/reply', { message: 'hello?' }, 'worf');
    expect(unknown.status).toBe(404);
  });

  it('GET /api/activities/@:handle lists the user feed; 404 for an unknown handle', async () => {
    const feed = await call('GET', '/api/activities/@worf');
    expect(feed.status).toBe(200);
    expect(feed.body.map((a: { handle: string }) => a.handle)).toEqual(['worf']);
    const unknown = await call('GET', '/api/activities/@nobody');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: 'not_found', message: 'no user @nobody' });
  });

  it('GET /api/activities?term&limit finds activities', async () => {
    const found = await call('GET', '/api/activities?term=CLOUD&limit=1');
    expect(found.status).toBe(200);
    expect(found.body.map((a: { message: string }) => a.message)).toEqual(['Cloud is fun!']);
  });

  it('GET /api/activities answers a repeated term without a 500', async () => {
    const { status } = await call('GET', '/api/activities?term=cloud&term=fun');
    expect(status).toBe(200);
  });

  it('GET /api/activities falls back to 20 results for a limit out of range', async () => {
    const found = await call('GET', '/api/activities?term=a&limit=1000');
    expect(found.status).toBe(200);
    expect(found.body.length).toBeGreaterThan(1);
  });
});
