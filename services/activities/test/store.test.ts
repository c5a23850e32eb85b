import type { Queryable } from '@cruddur/store-kit';
import { ActivityStore, PRUNE_EVERY, type Activity } from '../src/store';
import { activityFixture, activityUuid, type ActivityFixture } from './store-fixture';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const MINUTE = 60_000;

const activity = (i: number, expiresInMinutes: number): Activity => ({
  uuid: activityUuid(i),
  handle: 'worf',
  message: `m ${i}`,
  likes_count: 0,
  reposts_count: 0,
  replies_count: 0,
  created_at: new Date(NOW.getTime() - i),
  expires_at: new Date(NOW.getTime() + expiresInMinutes * MINUTE),
  replies: [],
});

let fixture: ActivityFixture;
beforeAll(async () => {
  fixture = await activityFixture();
});
afterAll(() => fixture.db.drop());
beforeEach(() => fixture.reset());

const rowCount = async () => Number((await fixture.db.adminQuery<{ n: string }>('SELECT count(*) AS n FROM activities.activities'))[0]!.n);

it('sweeps expired activities out as writes go on, with their replies, and keeps the live ones', async () => {
  // A store of its own: it counts its writes from zero.
  const store = new ActivityStore(fixture.db.storeFor('activities'));
  await store.add(activity(0, -5));
  await store.add(activity(1, 60));
  await store.reply({ uuid: activityUuid(900), reply_to_activity_uuid: activityUuid(1), handle: 'worf', message: 'kept', created_at: NOW });
  for (let i = 2; i < 2 * PRUNE_EVERY; i++) await store.add({ ...activity(i, i % 2 ? 60 : -1), created_at: NOW });
  // Every expired one written before the last sweep is gone; every live one is kept.
  expect(await store.get(activityUuid(1), NOW)).toMatchObject({ replies_count: 1 });
  const expiredLeft = await fixture.db.adminQuery('SELECT uuid FROM activities.activities WHERE expires_at <= $1', [NOW]);
  expect(expiredLeft).toEqual([]);
  expect(await rowCount()).toBe(PRUNE_EVERY);
  expect(await fixture.db.adminQuery('SELECT message FROM activities.replies')).toEqual([{ message: 'kept' }]);
});

it('keeps a write that a failed sweep follows, and reports the sweep', async () => {
  // The database itself, but its sweeps fail (as a statement timeout would).
  const real = fixture.db.storeFor('activities');
  const failing = { query: (text: string, values?: readonly unknown[]) => (text.trimStart().startsWith('DELETE') ? Promise.reject(new Error('canceling statement due to statement timeout')) : real.query(text, values)) } as Queryable;
  const failures: unknown[] = [];
  const store = new ActivityStore(failing, (error) => failures.push(error));
  for (let i = 0; i < PRUNE_EVERY; i++) await store.add(activity(i, 60));
  expect(failures).toHaveLength(1);
  expect(await rowCount()).toBe(PRUNE_EVERY);
});

it('deletes the replies of an activity it sweeps', async () => {
  const { store } = fixture;
  await store.add(activity(0, 10));
  await store.reply({ uuid: activityUuid(901), reply_to_activity_uuid: activityUuid(0), handle: 'worf', message: 'gone', created_at: NOW });
  expect(await store.pruneExpired(new Date(NOW.getTime() + 11 * MINUTE))).toBe(1);
  expect(await fixture.db.adminQuery('SELECT uuid FROM activities.replies')).toEqual([]);
});

it('lists live activities newest first, and never an expired one', async () => {
  await fixture.reset([activity(3, 60), activity(1, 60), activity(2, -1)]);
  expect((await fixture.store.live(NOW, 50)).map((a) => a.uuid)).toEqual([activityUuid(1), activityUuid(3)]);
});

it('keeps the order of writes within one millisecond', async () => {
  const same = (i: number) => ({ ...activity(i, 60), created_at: NOW });
  await fixture.reset([same(7), same(5), same(6)]);
  expect((await fixture.store.live(NOW, 50)).map((a) => a.uuid)).toEqual([activityUuid(6), activityUuid(5), activityUuid(7)]);
});

it('answers nothing, rather than failing, for an id that is not a uuid', async () => {
  expect(await fixture.store.get("x' OR '1'='1", NOW)).toBeUndefined();
  expect(await fixture.store.reply({ uuid: activityUuid(1), reply_to_activity_uuid: 'nope', handle: 'worf', message: 'hi', created_at: NOW })).toBe(false);
});
