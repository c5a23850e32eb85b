import { LookupQuery } from '@cruddur/api-contract';
import { parseInput } from '@cruddur/service-kit';
import type { Express } from 'express';
import { findUserShort, lookupUsers } from './lookup';
import type { UserStore } from './store';

export function usersRoutes(store: UserStore) {
  return (app: Express) => {
    app.get('/api/users/@:handle/short', async (req, res) => {
      res.json(await findUserShort(store, req.params.handle));
    });
    // Batch lookup for the services that render many handles: ?handles=a,b,c
    app.get('/api/users', async (req, res) => {
      res.json({ users: await lookupUsers(store, parseInput(LookupQuery, req.query).handles) });
    });
  };
}
