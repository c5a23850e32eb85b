import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { ERROR_STATUS, InvalidCodes, type ErrorKind } from './codes';
import { INTERNAL_OPERATIONS, PUBLIC_OPERATIONS, type ApiOperation, type FailureStatus } from './operations';

/** The document's type, as zod-openapi builds it. */
export type OpenApiDocument = ReturnType<typeof createDocument>;

const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };

/**
 * `{ error, message }`, the body of every failure but a 422, with the kinds that answer
 * `status` (but those the API never answers with, as `unavailable`: the gateway turns a
 * service's deliberate 503 into a 502).
 */
function errorBody(id: string, status: FailureStatus) {
  const kinds = (Object.keys(ERROR_STATUS) as ErrorKind[]).filter((kind) => kind !== 'invalid' && kind !== 'unavailable' && ERROR_STATUS[kind] === status);
  return z
    .object({ error: z.enum(kinds as [ErrorKind, ...ErrorKind[]]), message: z.string().meta({ description: 'For people; clients branch on `error`' }) })
    .meta({ id });
}

const FAILURES: Record<FailureStatus, { description: string; schema: z.ZodType }> = {
  400: { description: 'The body is not valid JSON', schema: errorBody('MalformedError', 400) },
  401: {
    description:
      'No acting user. The gateway names one on every call until Cruddur has authentication, so today only a domain service reached directly answers this',
    schema: errorBody('UnauthenticatedError', 401),
  },
  404: { description: 'No such activity or user (an expired activity is gone)', schema: errorBody('NotFoundError', 404) },
  413: { description: 'The body is larger than BODY_LIMIT (100 kB by default)', schema: errorBody('TooLargeError', 413) },
  422: { description: 'The input is invalid: every problem at once, as Cruddur codes', schema: InvalidCodes },
  502: { description: 'The domain service that owns the route is down or answered with an error', schema: errorBody('UpstreamError', 502) },
  503: {
    description: "The domain service cannot reach its database (down, refusing connections, or too slow). Try again",
    schema: errorBody('StoreUnavailableError', 503),
  },
  504: { description: 'The domain service that owns the route did not answer in time', schema: errorBody('UpstreamTimeoutError', 504) },
};

/**
 * W3C trace context, which every service honours; junk values start a new trace. In the
 * document so that clients know it, and so that fuzzers send it.
 */
const TraceContext = z.object({
  traceparent: z
    .string()
    .optional()
    .meta({ param: { id: 'traceparent' }, description: "W3C traceparent: the call joins the caller's trace", examples: ['00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'] }),
  tracestate: z.string().optional().meta({ param: { id: 'tracestate' }, description: 'W3C tracestate, passed on with the trace' }),
  baggage: z
    .string()
    .optional()
    .meta({ param: { id: 'baggage' }, description: "W3C baggage; its app.* entries are copied onto every service's spans", examples: ['app.traffic=loadtest'] }),
});

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });

function responsesOf(operation: ApiOperation): ZodOpenApiResponsesObject {
  const responses: ZodOpenApiResponsesObject = {
    200: {
      description: operation.summary,
      content: json(operation.ok),
      ...(operation.links ? { links: operation.links } : {}),
    },
  };
  for (const status of operation.fails) responses[`${status}`] = { description: FAILURES[status].description, content: json(FAILURES[status].schema) };
  return responses;
}

function operationObject(operationId: string, operation: ApiOperation, routed: boolean): ZodOpenApiOperationObject {
  const requestParams = { ...operation.params, ...(routed ? { header: TraceContext } : {}) };
  return {
    operationId,
    tags: [operation.tag],
    summary: operation.summary,
    ...(Object.keys(requestParams).length > 0 ? { requestParams } : {}),
    ...(operation.body ? { requestBody: { required: true, content: json(operation.body) } } : {}),
    responses: responsesOf(operation),
  };
}

function buildDocument(title: string, description: string, operations: Record<string, ApiOperation>): OpenApiDocument {
  const paths: ZodOpenApiPathsObject = {};
  for (const [operationId, operation] of Object.entries(operations)) {
    for (const link of Object.values(operation.links ?? {})) {
      if (!(link.operationId in operations)) throw new Error(`${operationId} links to ${link.operationId}, which is not in "${title}"`);
    }
    // The gateway's own routes (tag gateway) call no service, so no trace context goes on.
    (paths[operation.path] ??= {})[operation.method] = operationObject(operationId, operation, operation.tag !== 'gateway');
  }
  return createDocument({
    openapi: '3.1.0',
    info: { title, version, description, license: { name: 'MIT', identifier: 'MIT' } },
    servers: [{ url: 'http://localhost:4567', description: 'The gateway, as `make run` and `make up` serve it' }],
    // No credentials yet: said outright, so clients and linters need not guess.
    security: [],
    tags: [
      { name: 'activities', description: 'Activities with a time-to-live, replies, notifications and search' },
      { name: 'messages', description: 'Direct messages between users' },
      { name: 'users', description: 'User profiles' },
      { name: 'gateway', description: "The gateway's own routes" },
    ],
    paths,
  });
}

const PUBLIC_DESCRIPTION = `The Cruddur micro-blogging API, as the gateway serves it and routes it to the domain services.

Writes act as the gateway's acting user (andrewbrown) until Cruddur has authentication.
Failures answer with JSON: a 422 lists every problem as Cruddur codes; every other failure is \`{ "error", "message" }\`.
A known path asked with a method it does not take answers 405 with an \`Allow\` header; OPTIONS lists the methods.
Every call may carry W3C trace context (traceparent, tracestate, baggage); the trace continues across every service the call reaches.`;

let served: OpenApiDocument | undefined;

/** The document of the public API, built once (what the gateway serves at /api/openapi.json). */
export function openApiDocument(): OpenApiDocument {
  return (served ??= buildDocument('Cruddur API', PUBLIC_DESCRIPTION, PUBLIC_OPERATIONS));
}

/** The calls between the domain services, documented the same way; the tests hold those answers to it. */
export function internalOpenApiDocument(): OpenApiDocument {
  return buildDocument('Cruddur internal API', 'What the domain services ask each other; not routed by the gateway.', INTERNAL_OPERATIONS);
}
