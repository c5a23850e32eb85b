import { LIMITS } from '@cruddur/api-contract';
import { fakeUsersClient } from '@cruddur/testkit';
import { conversationWith } from '../src/read-messages';
import { MessageStore } from '../src/store';

const NOW = new Date('2025-03-01T12:00:00.000Z');

it('shows the newest LIMITS.messagesShown messages of a long conversation, oldest first', async () => {
  const messages = Array.from({ length: LIMITS.messagesShown + 40 }, (_, i) => ({
    uuid: `m-${i}`,
    handle: i % 2 ? 'worf' : 'andrewbrown',
    message: `message ${i}`,
    created_at: new Date(NOW.getTime() + i),
  }));
  const store = new MessageStore([{ uuid: 'g-1', members: ['andrewbrown', 'worf'], created_at: NOW, messages }]);
  const shown = await conversationWith({ store, users: fakeUsersClient(), now: () => NOW, newUuid: () => 'x' }, 'andrewbrown', 'worf');
  expect(shown).toHaveLength(LIMITS.messagesShown);
  expect(shown[0]!.uuid).toBe('m-40');
  expect(shown.at(-1)!.uuid).toBe(`m-${LIMITS.messagesShown + 39}`);
});
