import { createTestDatabase, type TestDatabase } from '@cruddur/testkit';
import { ActivityStore, type Activity } from '../src/store';

/** An activities store on a database of the suite's own, and a way to put exactly these activities in it. */
export interface ActivityFixture {
  db: TestDatabase;
  store: ActivityStore;
  /** Empties the store, then writes `activities` with their replies, as the store writes them. */
  reset(activities?: Activity[]): Promise<void>;
}

export async function activityFixture(): Promise<ActivityFixture> {
  const db = await createTestDatabase(['activities']);
  const store = new ActivityStore(db.storeFor('activities'));
  return {
    db,
    store,
    reset: async (activities = []) => {
      await db.empty('activities');
      for (const { replies, replies_count: _count, ...activity } of activities) {
        await store.add(activity);
        for (const reply of replies) await store.reply(reply);
      }
    },
  };
}

/** A well-formed uuid numbered `n`, for an activity (the store's ids are uuids; sequentialUuids' are apart from these). */
export const activityUuid = (n: number): string => `00000000-0000-4000-a000-${String(n).padStart(12, '0')}`;

/** The same for a reply. */
export const replyUuid = (n: number): string => `00000000-0000-4000-b000-${String(n).padStart(12, '0')}`;
