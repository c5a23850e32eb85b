import { LIMITS } from '@cruddur/api-contract';
import { fakeUsersClient } from '@cruddur/testkit';
import { conversationWith } from '../src/read-messages';
import { messageFixture, type MessageFixture } from './store-fixture';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const uuidNo = (i: number) => `00000000-0000-4000-c000-${String(i).padStart(12, '0')}`;

let fixture: MessageFixture;
beforeAll(async () => {
  fixture = await messageFixture();
});
afterAll(() => fixture.db.drop());

it('shows the newest LIMITS.messagesShown messages of a long conversation, oldest first', async () => {
  const messages = Array.from({ length: LIMITS.messagesShown + 40 }, (_, i) => ({
    uuid: uuidNo(i),
    handle: i % 2 ? 'worf' : 'andrewbrown',
    message: `message ${i}`,
    created_at: new Date(NOW.getTime() + i),
  }));
  await fixture.reset([{ uuid: uuidNo(1000), members: ['andrewbrown', 'worf'], created_at: NOW, messages }]);
  const shown = await conversationWith({ store: fixture.store, users: fakeUsersClient(), now: () => NOW, newUuid: () => 'x' }, 'andrewbrown', 'worf');
  expect(shown).toHaveLength(LIMITS.messagesShown);
  expect(shown[0]!.uuid).toBe(uuidNo(40));
  expect(shown.at(-1)!.uuid).toBe(uuidNo(LIMITS.messagesShown + 39));
});
