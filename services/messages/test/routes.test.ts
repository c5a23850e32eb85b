import { callAsGateway, fakeUsersClient, MOCK_USERS, sequentialUuids, serveRoutes } from '@cruddur/testkit';
import { type Serving } from '@cruddur/service-kit';
import { messagesRoutes } from '../src/routes';
import { seedMessageGroups } from '../src/store';
import { messageFixture, type MessageFixture } from './store-fixture';

const USERS = MOCK_USERS;
const fakeUsers = fakeUsersClient(USERS);

let serving: Serving;
let fixture: MessageFixture;

beforeAll(async () => {
  const now = new Date('2025-03-01T12:00:00.000Z');
  fixture = await messageFixture();
  await fixture.reset(seedMessageGroups(now));
  const deps = { store: fixture.store, users: fakeUsers, now: () => now, newUuid: sequentialUuids() };
  serving = await serveRoutes(messagesRoutes(deps));
});

afterAll(async () => {
  await serving.stop();
  await fixture.db.drop();
});

const call = (method: 'GET' | 'POST', path: string, body?: unknown, user?: string | null) => callAsGateway(serving.url, method, path, body, user);

describe('messages routes', () => {
  it('GET /api/message_groups lists the acting user conversations', async () => {
    const { status, body } = await call('GET', '/api/message_groups');
    expect(status).toBe(200);
    expect(body.map((g: { handle: string }) => g.handle)).toEqual(['worf', 'garek']);
  });

  it('answers 401 without the acting user', async () => {
    expect((await call('GET', '/api/message_groups', undefined, null)).status).toBe(401);
    expect((await call('POST', '/api/messages', { message: 'hi', user_receiver_handle: 'worf' }, null)).status).toBe(401);
  });

  it('POST /api/messages sends a message that GET /api/messages/@:handle then shows', async () => {
    const sent = await call('POST', '/api/messages', { message: 'Qapla!', user_receiver_handle: 'andrewbrown' }, 'worf');
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ handle: 'worf', display_name: 'Worf', message: 'Qapla!' });
    const conversation = await call('GET', '/api/messages/@worf');
    expect(conversation.status).toBe(200);
    expect(conversation.body.at(-1)).toMatchObject({ uuid: sent.body.uuid, message: 'Qapla!' });
  });

  it('POST /api/messages answers 422 with every code, also for a list body', async () => {
    expect(await call('POST', '/api/messages', { message: '' })).toEqual({ status: 422, body: ['message_blank', 'user_receiver_handle_blank'] });
    expect(await call('POST', '/api/messages', ['hi', 'worf'])).toEqual({ status: 422, body: ['message_blank', 'user_receiver_handle_blank'] });
  });

  it('GET /api/messages/@:handle answers 404 for an unknown handle', async () => {
    const { status, body } = await call('GET', '/api/messages/@nobody');
    expect(status).toBe(404);
    expect(body).toMatchObject({ error: 'not_found' });
  });
});
