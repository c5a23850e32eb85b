import { createTestDatabase, serveRoutes, type TestDatabase } from '@cruddur/testkit';
import { createUpstream, type Serving } from '@cruddur/service-kit';
import { createUsersClient } from '@cruddur/users-client';
import { usersRoutes } from '../src/routes';
import { UserStore } from '../src/store';

let serving: Serving;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase(['users']);
  serving = await serveRoutes(usersRoutes(new UserStore(db.storeFor('users'))));
});

afterAll(async () => {
  await serving.stop();
  await db.drop();
});

async function get(path: string) {
  const response = await fetch(`${serving.url}${path}`);
  return { status: response.status, body: (await response.json()) as unknown };
}

describe('users routes', () => {
  it('GET /api/users/@:handle/short gives the short profile', async () => {
    expect(await get('/api/users/@andrewbrown/short')).toEqual({
      status: 200,
      body: { uuid: '7c0f8dab-0d4e-4b2c-9d5b-cb61f5b5e1a1', handle: 'andrewbrown', display_name: 'Andrew Brown' },
    });
  });

  it('GET /api/users/@:handle/short answers a JSON 404 for an unknown handle', async () => {
    expect(await get('/api/users/@nobody/short')).toEqual({ status: 404, body: { error: 'not_found', message: 'no user @nobody' } });
  });

  it('GET /api/users/@:handle/short answers 422 for a blank handle', async () => {
    expect(await get('/api/users/@%20%20/short')).toEqual({ status: 422, body: ['user_handle_blank'] });
  });

  it('GET /api/users?handles= looks up the known handles, trimming and skipping empty ones', async () => {
    const { status, body } = await get('/api/users?handles=worf,%20garek%20,,nobody');
    expect(status).toBe(200);
    expect((body as { users: Array<{ handle: string }> }).users.map((u) => u.handle)).toEqual(['worf', 'garek']);
  });

  it('GET /api/users without handles gives no users', async () => {
    expect(await get('/api/users')).toEqual({ status: 200, body: { users: [] } });
  });

  it('GET /api/users with more than 100 handles answers 422', async () => {
    const handles = Array.from({ length: 101 }, (_, i) => `user${i}`).join(',');
    expect(await get(`/api/users?handles=${handles}`)).toEqual({ status: 422, body: ['user_handles_exceed_max'] });
  });
});

describe('the users client against the users service', () => {
  const client = () => createUsersClient(createUpstream({ name: 'users', baseURL: serving.url, timeoutMs: 2000 }));

  it('short() gives a profile and rejects an unknown handle with the 404', async () => {
    expect(await client().short('garek')).toMatchObject({ handle: 'garek', display_name: 'Garek' });
    await expect(client().short('nobody')).rejects.toMatchObject({ kind: 'not_found', status: 404, message: 'no user @nobody' });
  });

  it('short() escapes the handle into one path segment', async () => {
    // Unescaped, this would resolve to GET /api/users?handles=worf and answer 200.
    await expect(client().short('x/../../users?handles=worf#')).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('lookup() maps the known handles, once each', async () => {
    const found = await client().lookup(['worf', 'nobody', 'worf', 'andrewbrown']);
    expect([...found.keys()].sort()).toEqual(['andrewbrown', 'worf']);
    expect(found.get('worf')?.display_name).toBe('Worf');
  });

  it('lookup() of no handles asks nothing and gives an empty map', async () => {
    const unreachable = createUsersClient(createUpstream({ name: 'users', baseURL: 'http://127.0.0.1:1', timeoutMs: 200 }));
    expect((await unreachable.lookup([])).size).toBe(0);
  });
});
