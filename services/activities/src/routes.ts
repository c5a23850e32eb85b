import { FindQuery } from '@cruddur/api-contract';
import { actingUser, bodyFields, parseInput } from '@cruddur/service-kit';
import type { Express } from 'express';
import type { ActivityDeps } from './deps';
import { findActivities, homeActivities, showActivity, userActivities } from './read-activities';
import { createActivity, createReply } from './write-activities';

export function activitiesRoutes(deps: ActivityDeps) {
  return (app: Express) => {
    app.get('/api/activities/home', async (_req, res) => {
      res.json(await homeActivities(deps));
    });
    app.get('/api/activities', async (req, res) => {
      const { term, limit } = parseInput(FindQuery, req.query);
      res.json(await findActivities(deps, term, limit));
    });
    app.post('/api/activities', async (req, res) => {
      res.json(await createActivity(deps, actingUser(req), bodyFields(req)));
    });
    app.get('/api/activities/@:handle', async (req, res) => {
      res.json(await userActivities(deps, req.params.handle));
    });
    app.get('/api/activities/:uuid', async (req, res) => {
      res.json(await showActivity(deps, req.params.uuid));
    });
    app.post('/api/activities/:uuid/reply', async (req, res) => {
      res.json(await createReply(deps, actingUser(req), req.params.uuid, bodyFields(req)));
    });
  };
}
