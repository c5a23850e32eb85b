import { createApp, createLogger, serve } from '@cruddur/service-kit';
import { createTestDatabase, type TestDatabase } from '@cruddur/testkit';
import { listNotifications } from '../src/list-notifications';
import { notificationsRoutes } from '../src/routes';
import { NotificationStore, seedNotifications, type Notification } from '../src/store';

const HOUR = 3_600_000;
const NOW = new Date('2025-03-01T12:00:00.000Z');
const at = (offset: number) => new Date(NOW.getTime() + offset);

/** A notification for someone else, newer than all of Andrew's. */
const FOR_WORF = '00000000-0000-4000-d000-000000000001';
const forWorf: Notification = {
  uuid: FOR_WORF,
  recipient: 'worf',
  display_name: 'Andrew Brown',
  handle: 'andrewbrown',
  message: 'Prune juice is on its way',
  likes_count: 0,
  replies_count: 0,
  reposts_count: 0,
  created_at: at(-1000),
  expires_at: at(HOUR),
};

/** One of Andrew's that has expired. */
const expiredForAndrew: Notification = { ...forWorf, uuid: '00000000-0000-4000-d000-000000000002', recipient: 'andrewbrown', created_at: at(-10), expires_at: at(-1) };

let db: TestDatabase;
let notifications: NotificationStore;
beforeAll(async () => {
  db = await createTestDatabase(['notifications']);
  notifications = new NotificationStore(db.storeFor('notifications'));
  await db.empty('notifications');
  for (const n of [...seedNotifications(NOW), forWorf, expiredForAndrew]) await notifications.add(n);
});
afterAll(() => db.drop());

const store = () => notifications;

describe('listNotifications', () => {
  it("lists andrewbrown's live notifications, newest first, shaped like activities", async () => {
    expect(await listNotifications(store(), 'andrewbrown', NOW)).toEqual([
      {
        uuid: '2b1e0f7c-9a4d-4c3e-8f6a-1d2c3b4a5e6f',
        display_name: 'Garek',
        handle: 'garek',
        message: 'My dear doctor, I am just simple tailor',
        likes_count: 0,
        replies_count: 0,
        reposts_count: 1,
        created_at: at(-1 * HOUR).toISOString(),
        expires_at: at(12 * HOUR).toISOString(),
        replies: [],
      },
      {
        uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
        display_name: 'Worf',
        handle: 'worf',
        message: 'This post has no honor!',
        likes_count: 5,
        replies_count: 1,
        reposts_count: 0,
        created_at: at(-48 * HOUR).toISOString(),
        expires_at: at(120 * HOUR).toISOString(),
        replies: [],
      },
    ]);
  });

  it('leaves out notifications that have expired by `now`', async () => {
    const later = at(12 * HOUR); // Garek's expires exactly now
    expect((await listNotifications(store(), 'andrewbrown', later)).map((n) => n.uuid)).toEqual(['68f126b0-1ceb-4a33-88be-d90fa7109eee']);
  });

  it("leaves out other recipients' notifications", async () => {
    const forAndrew = await listNotifications(store(), 'andrewbrown', NOW);
    expect(forAndrew.map((n) => n.uuid)).not.toContain(FOR_WORF);
    expect((await listNotifications(store(), 'worf', NOW)).map((n) => n.uuid)).toEqual([FOR_WORF]);
    expect(await listNotifications(store(), 'garek', NOW)).toEqual([]);
  });

  it('never exposes the recipient', async () => {
    for (const notification of await listNotifications(store(), 'andrewbrown', NOW)) {
      expect(notification).not.toHaveProperty('recipient');
    }
  });
});

describe('GET /api/activities/notifications', () => {
  it("answers the acting user's notifications, and 401 without one", async () => {
    const logger = createLogger('notifications-test', 'silent');
    const app = createApp({ logger, bodyLimit: '1kb', routes: notificationsRoutes(store(), () => NOW) });
    const serving = await serve(app, { port: 0, host: '127.0.0.1', logger, shutdownTimeoutMs: 2000, handleSignals: false });
    try {
      const url = `${serving.url}/api/activities/notifications`;
      const mine = await fetch(url, { headers: { 'x-cruddur-user': 'worf' } });
      expect(mine.status).toBe(200);
      expect(((await mine.json()) as Array<{ uuid: string }>).map((n) => n.uuid)).toEqual([FOR_WORF]);
      expect((await fetch(url)).status).toBe(401);
    } finally {
      await serving.stop();
    }
  });
});
