import { ActivityStore, type Activity } from '../src/store';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const MINUTE = 60_000;

const activity = (i: number, expiresInMinutes: number): Activity => ({
  uuid: `a-${i}`,
  handle: 'worf',
  message: `m ${i}`,
  likes_count: 0,
  reposts_count: 0,
  created_at: new Date(NOW.getTime() - i),
  expires_at: new Date(NOW.getTime() + expiresInMinutes * MINUTE),
  replies: [],
});

it('drops expired activities as writes go on, and keeps the live ones', () => {
  const store = new ActivityStore([activity(0, -5), activity(1, 60)]);
  for (let i = 2; i < 200; i++) store.add(activity(i, i % 2 ? 60 : -1), NOW);
  expect(store.get('a-0')).toBeUndefined();
  expect(store.get('a-1')).toBeDefined();
  // Every expired one written before the last sweep is gone; every live one is kept.
  const live = store.live(NOW);
  expect(live).toHaveLength(100);
  expect(live.every((a) => a.expires_at > NOW)).toBe(true);
  expect(store.get('a-2')).toBeUndefined();
});

it('lists live activities newest first', () => {
  const store = new ActivityStore([activity(3, 60), activity(1, 60), activity(2, -1)]);
  expect(store.live(NOW).map((a) => a.uuid)).toEqual(['a-1', 'a-3']);
});
