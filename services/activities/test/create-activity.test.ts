import { LIMITS } from '@cruddur/api-contract';
import { fakeUsersClient, invalidCodes, sequentialUuids } from '@cruddur/testkit';
import type { UserShort } from '@cruddur/users-client';
import type { ActivityDeps } from '../src/deps';
import { TTL_MILLIS } from '../src/ttl';
import { createActivity } from '../src/write-activities';
import { activityFixture, type ActivityFixture } from './store-fixture';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const ANDREW: UserShort = { uuid: 'u-andrew', handle: 'andrewbrown', display_name: 'Andrew Brown' };
const FIRST_UUID = '00000000-0000-4000-8000-000000000001';

/** A users client that knows only Andrew. */
const fakeUsers = fakeUsersClient({ [ANDREW.handle]: ANDREW });

let fixture: ActivityFixture;
beforeAll(async () => {
  fixture = await activityFixture();
});
afterAll(() => fixture.db.drop());
// Ids from 1 in each test, however many deps it makes.
let newUuid: () => string;
beforeEach(async () => {
  newUuid = sequentialUuids();
  await fixture.reset();
});

const makeDeps = (): ActivityDeps => ({ store: fixture.store, users: fakeUsers, now: () => NOW, newUuid });

const codesOf = invalidCodes;

describe('createActivity', () => {
  it('stores and returns the activity, its message trimmed, under the author from the users service', async () => {
    const deps = makeDeps();
    const view = await createActivity(deps, 'andrewbrown', { message: '  Cloud is fun!\n', ttl: '7-days' });
    expect(view).toEqual({
      uuid: FIRST_UUID,
      display_name: 'Andrew Brown',
      handle: 'andrewbrown',
      message: 'Cloud is fun!',
      replies_count: 0,
      reposts_count: 0,
      likes_count: 0,
      created_at: NOW.toISOString(),
      expires_at: new Date(NOW.getTime() + 7 * 24 * 3_600_000).toISOString(),
      replies: [],
    });
    expect(await deps.store.get(FIRST_UUID, NOW)).toMatchObject({ handle: 'andrewbrown', message: 'Cloud is fun!' });
  });

  it.each(Object.entries(TTL_MILLIS))('sets expires_at to now + %s', async (ttl, millis) => {
    const deps = makeDeps();
    const view = await createActivity(deps, 'andrewbrown', { message: 'hi', ttl });
    expect(view.expires_at).toBe(new Date(NOW.getTime() + millis).toISOString());
    expect((await deps.store.get(view.uuid, NOW))!.expires_at.getTime()).toBe(NOW.getTime() + millis);
  });

  it('accepts a message of exactly 280 characters', async () => {
    const message = 'x'.repeat(LIMITS.activityChars);
    expect(LIMITS.activityChars).toBe(280);
    expect((await createActivity(makeDeps(), 'andrewbrown', { message, ttl: '1-hour' })).message).toBe(message);
  });

  it('rejects a message of 281 characters with message_exceed_max_chars', async () => {
    expect(await codesOf(createActivity(makeDeps(), 'andrewbrown', { message: 'x'.repeat(281), ttl: '1-hour' }))).toEqual([
      'message_exceed_max_chars',
    ]);
  });

  it('counts characters, not UTF-16 code units: 280 emoji fit, 281 do not', async () => {
    const view = await createActivity(makeDeps(), 'andrewbrown', { message: '☁️'.repeat(140), ttl: '1-hour' }); // 2 code points each
    expect([...view.message]).toHaveLength(280);
    expect((await createActivity(makeDeps(), 'andrewbrown', { message: '🚀'.repeat(280), ttl: '1-hour' })).message).toBe('🚀'.repeat(280));
    expect(await codesOf(createActivity(makeDeps(), 'andrewbrown', { message: '🚀'.repeat(281), ttl: '1-hour' }))).toEqual([
      'message_exceed_max_chars',
    ]);
  });

  it('counts the characters as sent, as the contract states them, and stores the message trimmed', async () => {
    const view = await createActivity(makeDeps(), 'andrewbrown', { message: ` ${'x'.repeat(278)} `, ttl: '1-hour' });
    expect(view.message).toBe('x'.repeat(278));
    expect(await invalidCodes(createActivity(makeDeps(), 'andrewbrown', { message: ` ${'x'.repeat(279)} `, ttl: '1-hour' }))).toEqual([
      'message_exceed_max_chars',
    ]);
  });

  it('refuses a NUL, which PostgreSQL text cannot hold, with message_contains_nul, and stores nothing', async () => {
    const deps = makeDeps();
    expect(await codesOf(createActivity(deps, 'andrewbrown', { message: 'nul \u0000 here', ttl: '1-hour' }))).toEqual(['message_contains_nul']);
    expect(await codesOf(createActivity(deps, 'andrewbrown', { message: `${'x'.repeat(281)}\u0000`, ttl: '1-hour' }))).toEqual([
      'message_exceed_max_chars',
      'message_contains_nul',
    ]);
    expect(await deps.store.live(NOW, 50)).toEqual([]);
  });

  it.each([
    ['an empty message', ''],
    ['a whitespace message', ' \n\t '],
    ['no message', undefined],
    ['a number', 42],
    ['a list', ['hi']],
    ['an object', { text: 'hi' }],
  ])('rejects %s with message_blank', async (_what, message) => {
    expect(await codesOf(createActivity(makeDeps(), 'andrewbrown', { message, ttl: '1-hour' }))).toEqual(['message_blank']);
  });

  it.each([
    ['missing', undefined],
    ['unknown', '2-weeks'],
    ['empty', ''],
    ['a number', 3600],
    ['an inherited property name', 'toString'],
  ])('rejects a ttl that is %s with ttl_blank', async (_what, ttl) => {
    expect(await codesOf(createActivity(makeDeps(), 'andrewbrown', { message: 'hi', ttl }))).toEqual(['ttl_blank']);
  });

  it('lists every code at once', async () => {
    expect(await codesOf(createActivity(makeDeps(), 'andrewbrown', { message: '   ' }))).toEqual(['message_blank', 'ttl_blank']);
    expect(await codesOf(createActivity(makeDeps(), 'andrewbrown', { message: 'x'.repeat(281), ttl: 'forever' }))).toEqual([
      'message_exceed_max_chars',
      'ttl_blank',
    ]);
  });

  it('stores nothing when the input is invalid', async () => {
    const deps = makeDeps();
    await createActivity(deps, 'andrewbrown', { message: '' }).catch(() => undefined);
    expect(await deps.store.live(NOW, 50)).toEqual([]);
  });

  it("propagates the users service's 404 for an unknown author and stores nothing", async () => {
    const deps = makeDeps();
    await expect(createActivity(deps, 'nobody', { message: 'hi', ttl: '1-day' })).rejects.toMatchObject({ kind: 'not_found', status: 404 });
    expect(await deps.store.live(NOW, 50)).toEqual([]);
  });
});
