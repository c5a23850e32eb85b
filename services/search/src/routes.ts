import type { Upstream } from '@cruddur/service-kit';
import type { Express } from 'express';
import { searchActivities } from './search-activities';

export function searchRoutes(activities: Upstream) {
  return (app: Express) => {
    app.get('/api/activities/search', async (req, res) => {
      res.json(await searchActivities(activities, req.query.term));
    });
  };
}
