// Every answer stays bounded however much a long run writes: feeds show the newest
// FEED_LIMIT activities, and an activity shows its newest REPLIES_SHOWN replies.
import type { UserShort, UsersClient } from '@cruddur/users-client';
import type { ActivityDeps } from '../src/deps';
import { FEED_LIMIT, homeActivities, showActivity, userActivities } from '../src/read-activities';
import { ActivityStore, type Activity, type Reply } from '../src/store';
import { REPLIES_SHOWN } from '../src/views';

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

it('shows the newest FEED_LIMIT activities on the home feed and a user page', async () => {
  const many = Array.from({ length: FEED_LIMIT + 25 }, (_, i) => activity(i));
  const home = await homeActivities(deps(many));
  expect(home).toHaveLength(FEED_LIMIT);
  expect(home[0]!.uuid).toBe('activity-0');
  expect(home.at(-1)!.uuid).toBe(`activity-${FEED_LIMIT - 1}`);
  expect(await userActivities(deps(many), 'worf')).toHaveLength(FEED_LIMIT);
});

it('shows the newest REPLIES_SHOWN replies, oldest first, while replies_count counts them all', async () => {
  const busy = activity(0, REPLIES_SHOWN + 30);
  const shown = await showActivity(deps([busy]), busy.uuid);
  expect(shown.replies_count).toBe(REPLIES_SHOWN + 30);
  expect(shown.replies).toHaveLength(REPLIES_SHOWN);
  expect(shown.replies[0]!.uuid).toBe(`activity-0-reply-30`);
  expect(shown.replies.at(-1)!.uuid).toBe(`activity-0-reply-${REPLIES_SHOWN + 29}`);
  const [inFeed] = await homeActivities(deps([busy]));
  expect(inFeed!.replies).toHaveLength(REPLIES_SHOWN);
});
