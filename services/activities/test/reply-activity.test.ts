import { LIMITS } from '@cruddur/api-contract';
import { fakeUsersClient, invalidCodes, MOCK_USERS, sequentialUuids } from '@cruddur/testkit';
import type { ActivityDeps } from '../src/deps';
import { homeActivities } from '../src/read-activities';
import { seedActivities } from '../src/store';
import { createReply } from '../src/write-activities';
import { activityFixture, activityUuid, type ActivityFixture } from './store-fixture';

const HOUR = 3_600_000;
const NOW = new Date('2025-03-01T12:00:00.000Z');
const USERS = MOCK_USERS;

const fakeUsers = fakeUsersClient(USERS);

// From the seed: Andrew's "Cloud is very fun!" (5 days left) and Garek's post (12 hours left).
const CLOUD_POST = '68f126b0-1ceb-4a33-88be-d90fa7109eee';
const GAREK_POST = '248959df-3079-4947-b847-9e0892d1bab4';

const FIRST_REPLY = '00000000-0000-4000-8000-000000000001';

let fixture: ActivityFixture;
beforeAll(async () => {
  fixture = await activityFixture();
});
afterAll(() => fixture.db.drop());
beforeEach(() => fixture.reset(seedActivities(NOW)));

/** Deps over the seed data with a clock the test can move. */
function makeDeps() {
  const clock = { now: NOW };
  const deps: ActivityDeps = { store: fixture.store, users: fakeUsers, now: () => clock.now, newUuid: sequentialUuids() };
  return { deps, clock };
}

/** The replies an activity shows at NOW. */
const repliesOf = async (uuid: string) => (await fixture.store.get(uuid, NOW))!.replies;

const codesOf = invalidCodes;

describe('createReply', () => {
  it('adds a reply to the activity and returns it', async () => {
    const { deps } = makeDeps();
    const reply = await createReply(deps, 'garek', CLOUD_POST, { message: '  Indeed.  ' });
    expect(reply).toEqual({
      uuid: FIRST_REPLY,
      reply_to_activity_uuid: CLOUD_POST,
      display_name: 'Garek',
      handle: 'garek',
      message: 'Indeed.',
      replies_count: 0,
      reposts_count: 0,
      likes_count: 0,
      created_at: NOW.toISOString(),
    });
    expect((await repliesOf(CLOUD_POST)).map((r) => r.uuid)).toEqual(['26e12864-1c26-5c3a-9658-97a10f8fea67', FIRST_REPLY]);
  });

  it('shows the reply in the home feed under its activity', async () => {
    const { deps } = makeDeps();
    await createReply(deps, 'garek', CLOUD_POST, { message: 'Indeed.' });
    const post = (await homeActivities(deps)).find((a) => a.uuid === CLOUD_POST)!;
    expect(post.replies_count).toBe(2);
    expect(post.replies.at(-1)).toMatchObject({ uuid: FIRST_REPLY, reply_to_activity_uuid: CLOUD_POST, display_name: 'Garek', message: 'Indeed.' });
  });

  it('accepts 1024 characters', async () => {
    const { deps } = makeDeps();
    expect(LIMITS.replyChars).toBe(1024);
    const reply = await createReply(deps, 'worf', CLOUD_POST, { message: 'x'.repeat(1024) });
    expect(reply.message).toHaveLength(1024);
  });

  it('rejects 1025 characters with message_exceed_max_chars', async () => {
    const { deps } = makeDeps();
    expect(await codesOf(createReply(deps, 'worf', CLOUD_POST, { message: 'x'.repeat(1025) }))).toEqual(['message_exceed_max_chars']);
    expect(await repliesOf(CLOUD_POST)).toHaveLength(1);
  });

  it('counts characters, not UTF-16 code units', async () => {
    const { deps } = makeDeps();
    expect((await createReply(deps, 'worf', CLOUD_POST, { message: '🖖'.repeat(1024) })).message).toBe('🖖'.repeat(1024));
    expect(await codesOf(createReply(deps, 'worf', CLOUD_POST, { message: '🖖'.repeat(1025) }))).toEqual(['message_exceed_max_chars']);
  });

  it.each([[''], ['   '], [undefined], [7]])('rejects the message %p with message_blank', async (message) => {
    const { deps } = makeDeps();
    expect(await codesOf(createReply(deps, 'worf', CLOUD_POST, { message }))).toEqual(['message_blank']);
  });

  it.each(['no-such-activity', activityUuid(404)])('answers 404 for the unknown activity %s', async (uuid) => {
    const { deps } = makeDeps();
    await expect(createReply(deps, 'worf', uuid, { message: 'hello?' })).rejects.toMatchObject({
      kind: 'not_found',
      status: 404,
    });
  });

  it('refuses a NUL with message_contains_nul and stores nothing', async () => {
    const { deps } = makeDeps();
    expect(await codesOf(createReply(deps, 'worf', CLOUD_POST, { message: 'a\u0000b' }))).toEqual(['message_contains_nul']);
    expect(await repliesOf(CLOUD_POST)).toHaveLength(1);
  });

  it('answers 404 for an expired activity and leaves it untouched', async () => {
    const { deps, clock } = makeDeps();
    clock.now = new Date(NOW.getTime() + 12 * HOUR); // Garek's post expires exactly now
    await expect(createReply(deps, 'worf', GAREK_POST, { message: 'Too late' })).rejects.toMatchObject({ kind: 'not_found' });
    expect(await repliesOf(GAREK_POST)).toEqual([]);
    expect((await fixture.store.get(GAREK_POST, NOW))!.replies_count).toBe(0);
  });
});
