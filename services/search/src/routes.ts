import type { Upstream } from '@cruddur/service-kit';
import type { Express } from 'express';
import { searchActivities } from './search-activities';

export function searchRoutes(activities: Upstream) {
  return (app: Express) => {
    app.get('/api/activities/search', async (req, res) => {
      const term = typeof req.query.term === 'string' ? req.query.term : '';
      res.json(await searchActivities(activities, term));
    });
  };
}
