import { fakeUsersClient } from '@cruddur/testkit';
import { conversationWith, MESSAGES_SHOWN } from '../src/read-messages';
import { MessageStore } from '../src/store';

const NOW = new Date('2025-03-01T12:00:00.000Z');

it('shows the newest MESSAGES_SHOWN messages of a long conversation, oldest first', async () => {
  const messages = Array.from({ length: MESSAGES_SHOWN + 40 }, (_, i) => ({
    uuid: `m-${i}`,
    handle: i % 2 ? 'worf' : 'andrewbrown',
    message: `message ${i}`,
    created_at: new Date(NOW.getTime() + i),
  }));
  const store = new MessageStore([{ uuid: 'g-1', members: ['andrewbrown', 'worf'], created_at: NOW, messages }]);
  const shown = await conversationWith({ store, users: fakeUsersClient(), now: () => NOW, newUuid: () => 'x' }, 'andrewbrown', 'worf');
  expect(shown).toHaveLength(MESSAGES_SHOWN);
  expect(shown[0]!.uuid).toBe('m-40');
  expect(shown.at(-1)!.uuid).toBe(`m-${MESSAGES_SHOWN + 39}`);
});
