import type { Queryable } from '@cruddur/store-kit';
import { SEED_NOTIFICATIONS } from './migrations/0002_seed-week-2';

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

/** The week-2 notifications with their times relative to `now` (what the seed migration loads, for tests on a fixed clock). */
export function seedNotifications(now: Date): Notification[] {
  return SEED_NOTIFICATIONS.map(({ created_offset, expires_offset, ...fields }) => ({
    ...fields,
    created_at: new Date(now.getTime() + created_offset),
    expires_at: new Date(now.getTime() + expires_offset),
  }));
}

const COLUMNS = 'uuid, recipient, display_name, handle, message, likes_count, replies_count, reposts_count, created_at, expires_at';

/** The notifications in PostgreSQL (schema `notifications`, migrations in ./migrations). */
export class NotificationStore {
  constructor(private readonly db: Queryable) {}

  /** `recipient`'s notifications that are live at `now`, newest first. */
  async liveFor(recipient: string, now: Date): Promise<Notification[]> {
    const { rows } = await this.db.query<Notification>(
      `SELECT ${COLUMNS} FROM notifications.notifications
       WHERE recipient = $1 AND expires_at > $2 ORDER BY created_at DESC`,
      [recipient, now],
    );
    return rows;
  }

  async add(notification: Notification): Promise<void> {
    const n = notification;
    await this.db.query(
      `INSERT INTO notifications.notifications (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [n.uuid, n.recipient, n.display_name, n.handle, n.message, n.likes_count, n.replies_count, n.reposts_count, n.created_at, n.expires_at],
    );
  }
}
