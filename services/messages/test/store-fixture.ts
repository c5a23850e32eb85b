import { createTestDatabase, type TestDatabase } from '@cruddur/testkit';
import { MessageStore, seedMessageGroups } from '../src/store';

/** A messages store on a database of the suite's own, and a way to put exactly these conversations in it. */
export interface MessageFixture {
  db: TestDatabase;
  store: MessageStore;
  /** Empties the store, then writes `groups`' messages in order, as the store writes them. */
  reset(groups?: ReturnType<typeof seedMessageGroups>): Promise<void>;
}

export async function messageFixture(): Promise<MessageFixture> {
  const db = await createTestDatabase(['messages']);
  const store = new MessageStore(db.storeFor('messages'));
  return {
    db,
    store,
    reset: async (groups = []) => {
      await db.empty('messages');
      for (const { uuid, members, messages } of groups) {
        for (const m of messages) {
          const to = m.handle === members[0] ? members[1] : members[0];
          await store.send({ messageUuid: m.uuid, newGroupUuid: uuid, from: m.handle, to, message: m.message, at: m.created_at });
        }
      }
    },
  };
}
