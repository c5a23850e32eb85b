import { fakeUsersClient, MOCK_USERS } from '@cruddur/testkit';
import type { UserShort } from '@cruddur/users-client';
import type { ActivityDeps } from '../src/deps';
import { findActivities, homeActivities, showActivity, userActivities } from '../src/read-activities';
import { seedActivities, type Activity } from '../src/store';
import { activityFixture, activityUuid, type ActivityFixture } from './store-fixture';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2025-03-01T12:00:00.000Z');
const at = (offset: number) => new Date(NOW.getTime() + offset);

const USERS = MOCK_USERS;

/** A users client over USERS that records the handles each lookup asked for. */
const fakeUsers = (known: Record<string, UserShort> = USERS) => fakeUsersClient(known);

/** An activity that expired an hour ago, so no read may show it. */
const EXPIRED = activityUuid(1);
const expired: Activity = {
  uuid: EXPIRED,
  handle: 'worf',
  message: 'Cloud was fun yesterday',
  likes_count: 0,
  reposts_count: 0,
  replies_count: 0,
  created_at: at(-2 * HOUR),
  expires_at: at(-1 * HOUR),
  replies: [],
};

let fixture: ActivityFixture;
beforeAll(async () => {
  fixture = await activityFixture();
  await fixture.reset([...seedActivities(NOW), expired]);
});
afterAll(() => fixture.db.drop());

function makeDeps(users = fakeUsers()): ActivityDeps {
  return {
    store: fixture.store,
    users,
    now: () => NOW,
    newUuid: () => 'unused',
  };
}

describe('homeActivities', () => {
  it('lists every live activity, newest first, without the expired one', async () => {
    const home = await homeActivities(makeDeps());
    expect(home.map((a) => [a.handle, a.message])).toEqual([
      ['garek', 'My dear doctor, I am just simple tailor'],
      ['andrewbrown', 'Cloud is fun!'],
      ['andrewbrown', 'Cloud is very fun!'],
      ['worf', 'I am out of prune juice'],
    ]);
    expect(home.map((a) => a.uuid)).not.toContain(EXPIRED);
  });

  it('renders dates as ISO strings relative to the clock', async () => {
    const [garek] = await homeActivities(makeDeps());
    expect(garek!.created_at).toBe(at(-1 * HOUR).toISOString());
    expect(garek!.expires_at).toBe(at(12 * HOUR).toISOString());
  });

  it('takes display names from the users client, in one lookup of every handle shown', async () => {
    const users = fakeUsers();
    const home = await homeActivities(makeDeps(users));
    expect(home.map((a) => a.display_name)).toEqual(['Garek', 'Andrew Brown', 'Andrew Brown', 'Worf']);
    expect(users.lookups).toHaveLength(1);
    expect([...users.lookups[0]!].sort()).toEqual(['andrewbrown', 'garek', 'worf']);
  });

  it('includes the replies, with reply_to_activity_uuid and the reply author display name', async () => {
    const cloud = (await homeActivities(makeDeps())).find((a) => a.uuid === '68f126b0-1ceb-4a33-88be-d90fa7109eee')!;
    expect(cloud.replies_count).toBe(1);
    expect(cloud.replies).toEqual([
      {
        uuid: '26e12864-1c26-5c3a-9658-97a10f8fea67',
        reply_to_activity_uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
        display_name: 'Worf',
        handle: 'worf',
        message: 'This post has no honor!',
        replies_count: 0,
        reposts_count: 0,
        likes_count: 0,
        created_at: at(-2 * DAY).toISOString(),
      },
    ]);
  });

  it('shows a handle the users service no longer knows under the handle itself', async () => {
    const { worf: _gone, ...rest } = USERS;
    const home = await homeActivities(makeDeps(fakeUsers(rest)));
    expect(home.find((a) => a.handle === 'worf')!.display_name).toBe('worf');
  });
});

describe('showActivity', () => {
  it('gives one activity with its replies', async () => {
    const activity = await showActivity(makeDeps(), '68f126b0-1ceb-4a33-88be-d90fa7109eee');
    expect(activity).toMatchObject({ handle: 'andrewbrown', display_name: 'Andrew Brown', message: 'Cloud is very fun!', likes_count: 5 });
    expect(activity.replies.map((r) => r.message)).toEqual(['This post has no honor!']);
  });

  it.each(['no-such-uuid', EXPIRED, activityUuid(404)])('answers 404 for %s', async (uuid) => {
    await expect(showActivity(makeDeps(), uuid)).rejects.toMatchObject({ kind: 'not_found', status: 404 });
  });
});

describe('userActivities', () => {
  it("lists only that user's live activities, newest first", async () => {
    const feed = await userActivities(makeDeps(), 'andrewbrown');
    expect(feed.map((a) => a.message)).toEqual(['Cloud is fun!', 'Cloud is very fun!']);
    expect(new Set(feed.map((a) => a.handle))).toEqual(new Set(['andrewbrown']));
  });

  it('leaves out the expired activities of the user', async () => {
    const feed = await userActivities(makeDeps(), 'worf');
    expect(feed.map((a) => a.uuid)).toEqual(['66e12864-8c26-4c3a-9658-95a10f8fea67']);
  });

  it('trims the handle', async () => {
    expect(await userActivities(makeDeps(), '  garek ')).toHaveLength(1);
  });

  it("propagates the users client's 404 for an unknown handle", async () => {
    await expect(userActivities(makeDeps(), 'nobody')).rejects.toMatchObject({ kind: 'not_found', status: 404, message: 'no user @nobody' });
  });

  it('rejects a blank handle with user_handle_blank', async () => {
    await expect(userActivities(makeDeps(), '   ')).rejects.toMatchObject({ kind: 'invalid', codes: ['user_handle_blank'] });
  });
});

describe('findActivities', () => {
  it('finds live activities whose message contains the term, in any case, newest first', async () => {
    const found = await findActivities(makeDeps(), 'CLOUD', 20);
    expect(found.map((a) => a.message)).toEqual(['Cloud is fun!', 'Cloud is very fun!']); // not the expired "Cloud was fun yesterday"
  });

  it('returns at most `limit` results, the newest', async () => {
    const found = await findActivities(makeDeps(), 'cloud', 1);
    expect(found.map((a) => a.message)).toEqual(['Cloud is fun!']);
  });

  it('returns nothing when no message matches', async () => {
    expect(await findActivities(makeDeps(), 'kubernetes', 20)).toEqual([]);
  });

  describe('takes the term literally: LIKE wildcards in it match only themselves', () => {
    const LITERAL = [
      { uuid: activityUuid(10), message: '100% uptime' },
      { uuid: activityUuid(11), message: '1000 uptime' },
      { uuid: activityUuid(12), message: 'snake_case is fine' },
      { uuid: activityUuid(13), message: 'snakeXcase is not' },
      { uuid: activityUuid(14), message: 'a back\\slash' },
      { uuid: activityUuid(15), message: 'a backslash' },
    ];
    beforeAll(() =>
      fixture.reset([
        ...seedActivities(NOW),
        ...LITERAL.map(({ uuid, message }, i) => ({ ...expired, uuid, message, created_at: at(-i * 1000), expires_at: at(HOUR) })),
      ]),
    );
    afterAll(() => fixture.reset([...seedActivities(NOW), expired]));

    it.each([
      ['%', ['100% uptime']],
      ['0%', ['100% uptime']],
      ['_', ['snake_case is fine']],
      ['e_c', ['snake_case is fine']],
      ['\\', ['a back\\slash']],
      ['%%', []],
      ['"', []],
      ["'; DROP TABLE activities.activities; --", []],
    ])('%p finds %p', async (term, messages) => {
      expect((await findActivities(makeDeps(), term, 20)).map((a) => a.message).sort()).toEqual(messages);
    });

    it('finds nothing, and fails nothing, for a term holding a NUL', async () => {
      expect(await findActivities(makeDeps(), 'up\u0000time', 20)).toEqual([]);
    });

    it('still matches in any case, non-ASCII letters included', async () => {
      await fixture.store.add({ ...expired, uuid: activityUuid(20), message: 'ÉCLAIR au café', created_at: NOW, expires_at: at(HOUR) });
      expect((await findActivities(makeDeps(), 'éclair', 20)).map((a) => a.message)).toEqual(['ÉCLAIR au café']);
      expect((await findActivities(makeDeps(), 'CAFÉ', 20)).map((a) => a.message)).toEqual(['ÉCLAIR au café']);
    });
  });
});
