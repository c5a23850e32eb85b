import { actingUser } from '@cruddur/service-kit';
import type { Express } from 'express';
import { listNotifications } from './list-notifications';
import type { NotificationStore } from './store';

export function notificationsRoutes(store: NotificationStore, now: () => Date) {
  return (app: Express) => {
    app.get('/api/activities/notifications', async (req, res) => {
      res.json(await listNotifications(store, actingUser(req), now()));
    });
  };
}
