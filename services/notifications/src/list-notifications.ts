import type { Notification as NotificationView } from '@cruddur/api-contract';
import { setResultLength, withSpan } from '@cruddur/service-kit';
import type { Notification } from './store';

export type { NotificationView };

/** The live notifications for `handle`, newest first. */
export function listNotifications(store: Notification[], handle: string, now: Date): Promise<NotificationView[]> {
  return withSpan('notifications.list', { 'app.user.handle': handle }, (span) => {
    const live = store
      .filter((n) => n.recipient === handle && n.expires_at > now)
      .sort((a, b) => b.created_at.getTime() - a.created_at.getTime());
    setResultLength(span, live.length);
    return live.map(({ recipient: _recipient, created_at, expires_at, ...rest }) => ({
      ...rest,
      created_at: created_at.toISOString(),
      expires_at: expires_at.toISOString(),
      replies: [],
    }));
  });
}
