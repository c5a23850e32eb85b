import { LIMITS } from '@cruddur/api-contract';
// Every answer stays bounded however much a long run writes: feeds show the newest
// LIMITS.feedActivities activities, and an activity shows its newest LIMITS.repliesShown replies.
import type { UserShort, UsersClient } from '@cruddur/users-client';
import type { ActivityDeps } from '../src/deps';
import { homeActivities, showActivity, userActivities } from '../src/read-activities';
import type { Activity, Reply } from '../src/store';
import { activityFixture, activityUuid, replyUuid, type ActivityFixture } from './store-fixture';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const MINUTE = 60_000;
const worf: UserShort = { uuid: 'u-worf', handle: 'worf', display_name: 'Worf' };

const users: UsersClient = {
  short: async () => worf,
  lookup: async () => new Map([['worf', worf]]),
};

function activity(i: number, replies = 0): Activity {
  const uuid = activityUuid(i);
  return {
    uuid,
    handle: 'worf',
    message: `message ${i}`,
    likes_count: 0,
    reposts_count: 0,
    replies_count: replies,
    created_at: new Date(NOW.getTime() - i * MINUTE),
    expires_at: new Date(NOW.getTime() + 60 * MINUTE),
    replies: Array.from({ length: replies }, (_, r): Reply => ({
      uuid: replyUuid(i * 1000 + r),
      reply_to_activity_uuid: uuid,
      handle: 'worf',
      message: `reply ${r}`,
      likes_count: 0,
      reposts_count: 0,
      created_at: new Date(NOW.getTime() - i * MINUTE + r),
    })),
  };
}

let fixture: ActivityFixture;
beforeAll(async () => {
  fixture = await activityFixture();
});
afterAll(() => fixture.db.drop());

const deps = (): ActivityDeps => ({ store: fixture.store, users, now: () => NOW, newUuid: () => 'x' });

it('shows the newest LIMITS.feedActivities activities on the home feed and a user page', async () => {
  await fixture.reset(Array.from({ length: LIMITS.feedActivities + 25 }, (_, i) => activity(i)));
  const home = await homeActivities(deps());
  expect(home).toHaveLength(LIMITS.feedActivities);
  expect(home[0]!.uuid).toBe(activityUuid(0));
  expect(home.at(-1)!.uuid).toBe(activityUuid(LIMITS.feedActivities - 1));
  expect(await userActivities(deps(), 'worf')).toHaveLength(LIMITS.feedActivities);
});

it('shows the newest LIMITS.repliesShown replies, oldest first, while replies_count counts them all', async () => {
  const busy = activity(0, LIMITS.repliesShown + 30);
  await fixture.reset([busy]);
  const shown = await showActivity(deps(), busy.uuid);
  expect(shown.replies_count).toBe(LIMITS.repliesShown + 30);
  expect(shown.replies).toHaveLength(LIMITS.repliesShown);
  expect(shown.replies[0]!.uuid).toBe(replyUuid(30));
  expect(shown.replies.at(-1)!.uuid).toBe(replyUuid(LIMITS.repliesShown + 29));
  const [inFeed] = await homeActivities(deps());
  expect(inFeed!.replies).toHaveLength(LIMITS.repliesShown);
});
