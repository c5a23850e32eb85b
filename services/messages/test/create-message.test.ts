import { LIMITS } from '@cruddur/api-contract';
import { fakeUsersClient, invalidCodes, MOCK_USERS, sequentialUuids } from '@cruddur/testkit';
import type { MessageDeps } from '../src/deps';
import { conversationWith, listMessageGroups } from '../src/read-messages';
import { seedMessageGroups } from '../src/store';
import { createMessage } from '../src/write-messages';
import { messageFixture, type MessageFixture } from './store-fixture';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const USERS = MOCK_USERS;

const fakeUsers = fakeUsersClient(USERS);

/** The uuids makeDeps' deps hand out: the message's first, then the conversation's it would start. */
const NEW_1 = '00000000-0000-4000-8000-000000000001';
const NEW_2 = '00000000-0000-4000-8000-000000000002';
const NEW_3 = '00000000-0000-4000-8000-000000000003';

let fixture: MessageFixture;
beforeAll(async () => {
  fixture = await messageFixture();
});
afterAll(() => fixture.db.drop());
beforeEach(() => fixture.reset(seedMessageGroups(NOW)));

function makeDeps(): MessageDeps {
  return { store: fixture.store, users: fakeUsers, now: () => NOW, newUuid: sequentialUuids() };
}

const messagesBetween = async (a: string, b: string) => {
  const group = await fixture.store.between(a, b);
  return group ? (await fixture.store.newestMessages(group, 100)).map((m) => m.message) : [];
};

const codesOf = invalidCodes;

describe('createMessage', () => {
  it('adds the message to the existing conversation and returns it', async () => {
    const deps = makeDeps();
    const sent = await createMessage(deps, 'worf', { message: '  Qapla!  ', user_receiver_handle: 'andrewbrown' });
    expect(sent).toEqual({ uuid: NEW_1, display_name: 'Worf', handle: 'worf', message: 'Qapla!', created_at: NOW.toISOString() });
    expect(await deps.store.groupsOf('worf')).toHaveLength(1); // reused, not a second conversation
    expect(await deps.store.between('worf', 'andrewbrown')).toBe('24b95582-9e7b-4e0a-9ad1-639773ab7552');
  });

  it('shows the message in the conversation afterwards, last', async () => {
    const deps = makeDeps();
    await createMessage(deps, 'worf', { message: 'Qapla!', user_receiver_handle: 'andrewbrown' });
    const conversation = await conversationWith(deps, 'andrewbrown', 'worf');
    expect(conversation.map((m) => [m.handle, m.message])).toEqual([
      ['andrewbrown', 'Cloud is fun!'],
      ['andrewbrown', 'This platform is great!'],
      ['worf', 'Qapla!'],
    ]);
    expect((await listMessageGroups(deps, 'andrewbrown'))[0]).toMatchObject({ handle: 'worf', message: 'Qapla!' });
  });

  it('starts a new conversation when there is none', async () => {
    const deps = makeDeps();
    expect(await deps.store.between('worf', 'garek')).toBeUndefined();
    await createMessage(deps, 'worf', { message: 'Tailor.', user_receiver_handle: 'garek' });

    expect(await deps.store.between('garek', 'worf')).toBe(NEW_2);
    expect(await messagesBetween('garek', 'worf')).toEqual(['Tailor.']);
    expect(await listMessageGroups(deps, 'garek')).toEqual([
      { uuid: NEW_2, display_name: 'Worf', handle: 'worf', created_at: NOW.toISOString(), message: 'Tailor.' },
      expect.objectContaining({ handle: 'andrewbrown' }),
    ]);

    // The next message in either direction goes to the same conversation, in the order written.
    const reply = await createMessage(deps, 'garek', { message: 'Doctor.', user_receiver_handle: 'worf' });
    expect(reply.uuid).toBe(NEW_3);
    expect(await deps.store.groupsOf('worf')).toHaveLength(2);
    expect(await messagesBetween('worf', 'garek')).toEqual(['Tailor.', 'Doctor.']);
  });

  it('accepts 1024 characters and rejects 1025 with message_exceed_max_chars', async () => {
    expect(LIMITS.messageChars).toBe(1024);
    const sent = await createMessage(makeDeps(), 'worf', { message: 'x'.repeat(1024), user_receiver_handle: 'garek' });
    expect(sent.message).toHaveLength(1024);
    expect(await codesOf(createMessage(makeDeps(), 'worf', { message: 'x'.repeat(1025), user_receiver_handle: 'garek' }))).toEqual([
      'message_exceed_max_chars',
    ]);
  });

  it('counts characters, not UTF-16 code units', async () => {
    const sent = await createMessage(makeDeps(), 'worf', { message: '🖖'.repeat(1024), user_receiver_handle: 'garek' });
    expect(sent.message).toBe('🖖'.repeat(1024));
    expect(await codesOf(createMessage(makeDeps(), 'worf', { message: '🖖'.repeat(1025), user_receiver_handle: 'garek' }))).toEqual([
      'message_exceed_max_chars',
    ]);
  });

  it.each([[''], ['  \n '], [undefined], [12]])('rejects the message %p with message_blank', async (message) => {
    expect(await codesOf(createMessage(makeDeps(), 'worf', { message, user_receiver_handle: 'garek' }))).toEqual(['message_blank']);
  });

  it.each([[undefined], ['   '], [['garek']]])('rejects the receiver %p with user_receiver_handle_blank', async (receiver) => {
    expect(await codesOf(createMessage(makeDeps(), 'worf', { message: 'hi', user_receiver_handle: receiver }))).toEqual([
      'user_receiver_handle_blank',
    ]);
  });

  it('lists every code at once', async () => {
    expect(await codesOf(createMessage(makeDeps(), 'worf', {}))).toEqual(['message_blank', 'user_receiver_handle_blank']);
    expect(await codesOf(createMessage(makeDeps(), 'worf', { message: 'x'.repeat(1025), user_receiver_handle: '' }))).toEqual([
      'message_exceed_max_chars',
      'user_receiver_handle_blank',
    ]);
  });

  it('answers 404 for an unknown receiver and starts no conversation', async () => {
    const deps = makeDeps();
    await expect(createMessage(deps, 'worf', { message: 'hi', user_receiver_handle: 'nobody' })).rejects.toMatchObject({ kind: 'not_found' });
    expect(await deps.store.groupsOf('worf')).toHaveLength(1);
    expect(await deps.store.groupsOf('nobody')).toEqual([]);
  });

  it('refuses a NUL with message_contains_nul and sends nothing', async () => {
    const deps = makeDeps();
    expect(await codesOf(createMessage(deps, 'worf', { message: 'x\u0000', user_receiver_handle: 'garek' }))).toEqual(['message_contains_nul']);
    expect(await deps.store.between('worf', 'garek')).toBeUndefined();
  });
});
