import { PUBLIC_OPERATIONS, type OperationId, type RoutedOperationId } from '@cruddur/api-contract';
import { openApiDocument } from '@cruddur/api-contract/openapi';
import { ACTING_USER_HEADER, annotateRequest, rawBody } from '@cruddur/service-kit';
import type { Express, Request, Response } from 'express';
import type { UpstreamName, Upstreams } from './upstreams';

/**
 * Who answers each operation of the API contract. Every domain service serves the same
 * path, so the gateway forwards the path and query as they came. An operation added to the
 * contract fails to compile here until it has a service.
 */
export const UPSTREAM_OF: Readonly<Record<RoutedOperationId, UpstreamName>> = {
  homeActivities: 'activities',
  notifications: 'notifications',
  searchActivities: 'search',
  userActivities: 'activities',
  createActivity: 'activities',
  showActivity: 'activities',
  replyToActivity: 'activities',
  messageGroups: 'messages',
  conversation: 'messages',
  createMessage: 'messages',
  userShort: 'users',
};

/** An OpenAPI path template as an Express route path: `/api/activities/@{handle}` → `/api/activities/@:handle`. */
export const expressPath = (template: string): string => template.replace(/\{(\w+)\}/g, ':$1');

/** The routed operations in the contract's order, which is the order the gateway matches them in. */
export const API_ROUTES = (Object.keys(PUBLIC_OPERATIONS) as OperationId[])
  .filter((operationId): operationId is RoutedOperationId => Object.hasOwn(UPSTREAM_OF, operationId))
  .map((operationId) => {
    const { method, path } = PUBLIC_OPERATIONS[operationId];
    return { operationId, method: method === 'get' ? ('GET' as const) : ('POST' as const), path: expressPath(path), upstream: UPSTREAM_OF[operationId] };
  });

export function gatewayRoutes(upstreams: Upstreams, actingUserHandle: string) {
  return (app: Express) => {
    app.get(PUBLIC_OPERATIONS.healthCheck.path, (_req, res) => {
      res.json({ success: true });
    });
    // Built on the first request, then kept: the document is the same for the life of the process.
    let document: string | undefined;
    app.get(PUBLIC_OPERATIONS.openApiDocument.path, (_req, res) => {
      res.type('json').send((document ??= JSON.stringify(openApiDocument())));
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
