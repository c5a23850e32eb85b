import { LIMITS } from '@cruddur/api-contract';
// Every answer stays bounded however much a long run writes: feeds show the newest
// LIMITS.feedActivities activities, and an activity shows its newest LIMITS.repliesShown replies.
import type { UserShort, UsersClient } from '@cruddur/users-client';
import type { ActivityDeps } from '../src/deps';
import { homeActivities, showActivity, userActivities } from '../src/read-activities';
import { ActivityStore, type Activity, type Reply } from '../src/store';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const MINUTE = 60_000;
const worf: UserShort = { uuid: 'u-worf', handle: 'worf', display_name: 'Worf' };

const users: UsersClient = {
  short: async () => worf,
  lookup: async () => new Map([['worf', worf]]),
};

function activity(i: number, replies = 0): Activity {
  const uuid = `activity-${i}`;
  return {
    uuid,
    handle: 'worf',
    message: `message ${i}`,
    likes_count: 0,
    reposts_count: 0,
    created_at: new Date(NOW.getTime() - i * MINUTE),
    expires_at: new Date(NOW.getTime() + 60 * MINUTE),
    replies: Array.from({ length: replies }, (_, r): Reply => ({
      uuid: `${uuid}-reply-${r}`,
      reply_to_activity_uuid: uuid,
      handle: 'worf',
      message: `reply ${r}`,
      likes_count: 0,
      reposts_count: 0,
      created_at: new Date(NOW.getTime() - i * MINUTE + r),
    })),
  };
}

const deps = (activities: Activity[]): ActivityDeps => ({ store: new ActivityStore(activities), users, now: () => NOW, newUuid: () => 'x' });

it('shows the newest LIMITS.feedActivities activities on the home feed and a user page', async () => {
  const many = Array.from({ length: LIMITS.feedActivities + 25 }, (_, i) => activity(i));
  const home = await homeActivities(deps(many));
  expect(home).toHaveLength(LIMITS.feedActivities);
  expect(home[0]!.uuid).toBe('activity-0');
  expect(home.at(-1)!.uuid).toBe(`activity-${LIMITS.feedActivities - 1}`);
  expect(await userActivities(deps(many), 'worf')).toHaveLength(LIMITS.feedActivities);
});

it('shows the newest LIMITS.repliesShown replies, oldest first, while replies_count counts them all', async () => {
  const busy = activity(0, LIMITS.repliesShown + 30);
  const shown = await showActivity(deps([busy]), busy.uuid);
  expect(shown.replies_count).toBe(LIMITS.repliesShown + 30);
  expect(shown.replies).toHaveLength(LIMITS.repliesShown);
  expect(shown.replies[0]!.uuid).toBe(`activity-0-reply-30`);
  expect(shown.replies.at(-1)!.uuid).toBe(`activity-0-reply-${LIMITS.repliesShown + 29}`);
  const [inFeed] = await homeActivities(deps([busy]));
  expect(inFeed!.replies).toHaveLength(LIMITS.repliesShown);
});
