import type { Notification as NotificationView } from '@cruddur/api-contract';
import { setResultLength, withSpan } from '@cruddur/service-kit';
import type { NotificationStore } from './store';

export type { NotificationView };

/** The live notifications for `handle`, newest first. */
export function listNotifications(store: NotificationStore, handle: string, now: Date): Promise<NotificationView[]> {
  return withSpan('notifications.list', { 'app.user.handle': handle }, async (span) => {
    const live = await store.liveFor(handle, now);
    setResultLength(span, live.length);
    return live.map(({ recipient: _recipient, created_at, expires_at, ...rest }) => ({
      ...rest,
      created_at: created_at.toISOString(),
      expires_at: expires_at.toISOString(),
      replies: [],
    }));
  });
}
