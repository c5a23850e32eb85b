import { ACTING_USER_HEADER, annotateRequest, rawBody } from '@cruddur/service-kit';
import type { Express, Request, Response } from 'express';
import type { UpstreamName, Upstreams } from './upstreams';

interface Route {
  method: 'GET' | 'POST';
  path: string;
  upstream: UpstreamName;
}

/**
 * The Cruddur API and who answers each route. Order matters where paths overlap: the
 * fixed activity paths come before `/api/activities/:uuid`. Each domain service serves
 * the same path, so the gateway forwards the path and query as they came.
 */
export const API_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/api/activities/home', upstream: 'activities' },
  { method: 'GET', path: '/api/activities/notifications', upstream: 'notifications' },
  { method: 'GET', path: '/api/activities/search', upstream: 'search' },
  { method: 'GET', path: '/api/activities/@:handle', upstream: 'activities' },
  { method: 'POST', path: '/api/activities', upstream: 'activities' },
  { method: 'GET', path: '/api/activities/:uuid', upstream: 'activities' },
  { method: 'POST', path: '/api/activities/:uuid/reply', upstream: 'activities' },
  { method: 'GET', path: '/api/message_groups', upstream: 'messages' },
  { method: 'GET', path: '/api/messages/@:handle', upstream: 'messages' },
  { method: 'POST', path: '/api/messages', upstream: 'messages' },
  { method: 'GET', path: '/api/users/@:handle/short', upstream: 'users' },
];

export function gatewayRoutes(upstreams: Upstreams, actingUserHandle: string) {
  return (app: Express) => {
    app.get('/api/health-check', (_req, res) => {
      res.json({ success: true });
    });
    for (const route of API_ROUTES) {
      const forward = async (req: Request, res: Response) => {
        annotateRequest(req, { 'app.upstream': route.upstream, 'app.user.handle': actingUserHandle });
        // A POST's body goes on as the client's bytes (or `{}` without one); the domain service validates it.
        const body = route.method === 'POST' ? (rawBody(req) ?? Buffer.from('{}')) : undefined;
        const data = await upstreams[route.upstream].request({
          method: route.method,
          path: req.originalUrl,
          data: body,
          headers: { [ACTING_USER_HEADER]: actingUserHandle, ...(body ? { 'content-type': 'application/json' } : {}) },
        });
        res.json(data);
      };
      if (route.method === 'GET') app.get(route.path, forward);
      else app.post(route.path, forward);
    }
  };
}
