import { LIMITS } from '@cruddur/api-contract';
import { fakeUsersClient, invalidCodes, MOCK_USERS } from '@cruddur/testkit';
import type { MessageDeps } from '../src/deps';
import { conversationWith, listMessageGroups } from '../src/read-messages';
import { MessageStore, seedMessageGroups } from '../src/store';
import { createMessage } from '../src/write-messages';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const USERS = MOCK_USERS;

const fakeUsers = fakeUsersClient(USERS);

function makeDeps(): MessageDeps {
  let next = 0;
  return { store: new MessageStore(seedMessageGroups(NOW)), users: fakeUsers, now: () => NOW, newUuid: () => `new-${++next}` };
}

const codesOf = invalidCodes;

describe('createMessage', () => {
  it('adds the message to the existing conversation and returns it', async () => {
    const deps = makeDeps();
    const sent = await createMessage(deps, 'worf', { message: '  Qapla!  ', user_receiver_handle: 'andrewbrown' });
    expect(sent).toEqual({ uuid: 'new-1', display_name: 'Worf', handle: 'worf', message: 'Qapla!', created_at: NOW.toISOString() });
    expect(deps.store.groupsOf('worf')).toHaveLength(1); // reused, not a second conversation
    expect(deps.store.between('worf', 'andrewbrown')!.uuid).toBe('24b95582-9e7b-4e0a-9ad1-639773ab7552');
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
    expect(deps.store.between('worf', 'garek')).toBeUndefined();
    await createMessage(deps, 'worf', { message: 'Tailor.', user_receiver_handle: 'garek' });

    const group = deps.store.between('garek', 'worf')!;
    expect(group).toMatchObject({ uuid: 'new-1', created_at: NOW });
    expect(group.messages.map((m) => m.message)).toEqual(['Tailor.']);
    expect(await listMessageGroups(deps, 'garek')).toEqual([
      { uuid: 'new-1', display_name: 'Worf', handle: 'worf', created_at: NOW.toISOString(), message: 'Tailor.' },
      expect.objectContaining({ handle: 'andrewbrown' }),
    ]);

    // The next message in either direction goes to the same conversation.
    await createMessage(deps, 'garek', { message: 'Doctor.', user_receiver_handle: 'worf' });
    expect(deps.store.groupsOf('worf')).toHaveLength(2);
    expect(deps.store.between('worf', 'garek')!.messages.map((m) => m.message)).toEqual(['Tailor.', 'Doctor.']);
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
    expect(deps.store.groupsOf('worf')).toHaveLength(1);
    expect(deps.store.groupsOf('nobody')).toEqual([]);
  });
});
