import { actingUser, bodyFields } from '@cruddur/service-kit';
import type { Express } from 'express';
import type { MessageDeps } from './deps';
import { conversationWith, listMessageGroups } from './read-messages';
import { createMessage } from './write-messages';

export function messagesRoutes(deps: MessageDeps) {
  return (app: Express) => {
    app.get('/api/message_groups', async (req, res) => {
      res.json(await listMessageGroups(deps, actingUser(req)));
    });
    app.get('/api/messages/@:handle', async (req, res) => {
      res.json(await conversationWith(deps, actingUser(req), req.params.handle));
    });
    app.post('/api/messages', async (req, res) => {
      res.json(await createMessage(deps, actingUser(req), bodyFields(req)));
    });
  };
}
