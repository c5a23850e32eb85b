import { fakeUsersClient } from '@cruddur/testkit';
import type { UserShort } from '@cruddur/users-client';
import type { MessageDeps } from '../src/deps';
import { conversationWith, listMessageGroups } from '../src/read-messages';
import { seedMessageGroups } from '../src/store';
import { messageFixture, type MessageFixture } from './store-fixture';

const MINUTE = 60_000;
const NOW = new Date('2025-03-01T12:00:00.000Z');
const at = (offset: number) => new Date(NOW.getTime() + offset).toISOString();

const USERS: Record<string, UserShort> = {
  andrewbrown: { uuid: 'u-andrew', handle: 'andrewbrown', display_name: 'Andrew Brown' },
  worf: { uuid: 'u-worf', handle: 'worf', display_name: 'Worf' },
  garek: { uuid: 'u-garek', handle: 'garek', display_name: 'Garek' },
  quark: { uuid: 'u-quark', handle: 'quark', display_name: 'Quark' },
};

const fakeUsers = fakeUsersClient(USERS);

let fixture: MessageFixture;
beforeAll(async () => {
  fixture = await messageFixture();
});
afterAll(() => fixture.db.drop());
beforeEach(() => fixture.reset(seedMessageGroups(NOW)));

const makeDeps = (): MessageDeps => ({
  store: fixture.store,
  users: fakeUsers,
  now: () => NOW,
  newUuid: () => 'unused',
});

describe('listMessageGroups', () => {
  it("lists the user's conversations, most recent first, named after the other member, with the last message", async () => {
    expect(await listMessageGroups(makeDeps(), 'andrewbrown')).toEqual([
      {
        uuid: '24b95582-9e7b-4e0a-9ad1-639773ab7552',
        display_name: 'Worf',
        handle: 'worf',
        created_at: at(-30 * MINUTE),
        message: 'This platform is great!',
      },
      {
        uuid: '417c360e-c4e6-4fce-873b-d2d71469b4ac',
        display_name: 'Garek',
        handle: 'garek',
        created_at: at(-90 * MINUTE),
        message: 'Have you tried the replicator?',
      },
    ]);
  });

  it('names the other member from either side of the conversation', async () => {
    const groups = await listMessageGroups(makeDeps(), 'worf');
    expect(groups.map((g) => [g.handle, g.display_name])).toEqual([['andrewbrown', 'Andrew Brown']]);
  });

  it('orders by the last message, not by when the conversation started', async () => {
    const deps = makeDeps();
    // The Garek conversation is older, but moves last.
    const newGroup = '00000000-0000-4000-c000-000000000001';
    await deps.store.send({ messageUuid: '00000000-0000-4000-c000-000000000002', newGroupUuid: newGroup, from: 'andrewbrown', to: 'garek', message: 'Not yet', at: NOW });
    const groups = await listMessageGroups(deps, 'andrewbrown');
    expect(groups.map((g) => [g.handle, g.message, g.created_at])).toEqual([
      ['garek', 'Not yet', NOW.toISOString()],
      ['worf', 'This platform is great!', at(-30 * MINUTE)],
    ]);
  });

  it('is empty for a user with no conversation', async () => {
    expect(await listMessageGroups(makeDeps(), 'quark')).toEqual([]);
  });
});

describe('conversationWith', () => {
  it('lists the messages between the two users, oldest first, with display names', async () => {
    expect(await conversationWith(makeDeps(), 'andrewbrown', 'worf')).toEqual([
      { uuid: '4e81c06a-db0f-4281-b4cc-98208537772a', display_name: 'Andrew Brown', handle: 'andrewbrown', message: 'Cloud is fun!', created_at: at(-60 * MINUTE) },
      { uuid: '66e12864-8c26-4c3a-9658-95a10f8fea67', display_name: 'Andrew Brown', handle: 'andrewbrown', message: 'This platform is great!', created_at: at(-30 * MINUTE) },
    ]);
  });

  it('is the same conversation seen from the other side', async () => {
    const deps = makeDeps();
    expect(await conversationWith(deps, 'garek', 'andrewbrown')).toEqual(await conversationWith(deps, 'andrewbrown', 'garek'));
  });

  it('is empty between users who have no conversation', async () => {
    expect(await conversationWith(makeDeps(), 'andrewbrown', 'quark')).toEqual([]);
    expect(await conversationWith(makeDeps(), 'worf', 'garek')).toEqual([]);
  });

  it('answers 404 for an unknown handle', async () => {
    await expect(conversationWith(makeDeps(), 'andrewbrown', 'nobody')).rejects.toMatchObject({ kind: 'not_found', status: 404 });
  });

  it('rejects a blank handle with user_handle_blank', async () => {
    await expect(conversationWith(makeDeps(), 'andrewbrown', '  ')).rejects.toMatchObject({ kind: 'invalid', codes: ['user_handle_blank'] });
  });
});
