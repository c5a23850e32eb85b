/** A notification, shaped like a Cruddur activity (the frontend renders it as one). */
export interface Notification {
  uuid: string;
  /** The user the notification is for. */
  recipient: string;
  display_name: string;
  handle: string;
  message: string;
  likes_count: number;
  replies_count: number;
  reposts_count: number;
  created_at: Date;
  expires_at: Date;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The Cruddur week-2 notifications, timestamps relative to `now`. */
export function seedNotifications(now: Date): Notification[] {
  const at = (offset: number) => new Date(now.getTime() + offset);
  return [
    {
      uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
      recipient: 'andrewbrown',
      display_name: 'Worf',
      handle: 'worf',
      message: 'This post has no honor!',
      likes_count: 5,
      replies_count: 1,
      reposts_count: 0,
      created_at: at(-2 * DAY),
      expires_at: at(5 * DAY),
    },
    {
      uuid: '2b1e0f7c-9a4d-4c3e-8f6a-1d2c3b4a5e6f',
      recipient: 'andrewbrown',
      display_name: 'Garek',
      handle: 'garek',
      message: 'My dear doctor, I am just simple tailor',
      likes_count: 0,
      replies_count: 0,
      reposts_count: 1,
      created_at: at(-1 * HOUR),
      expires_at: at(12 * HOUR),
    },
  ];
}
