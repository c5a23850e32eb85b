import { z } from 'zod';
import { LIMITS } from './limits';
import { ActivityParams, FindQuery, HandleParams, NewActivity, NewMessage, LookupQuery, NewReply, SearchQuery } from './requests';
import { Activity, HealthCheck, Message, MessageGroup, Notification, Reply, UserList, UserShort } from './responses';

/** The statuses besides 200 that an operation can answer with; each has its error body. */
export type FailureStatus = 400 | 401 | 404 | 413 | 422 | 502 | 503 | 504;

/** A link from an answer to a follow-up call, as OpenAPI (and Schemathesis's stateful phase) read it. */
export interface FollowUp {
  /** An operation of the same document (checked when the document is built). */
  operationId: string;
  /** Parameter name → runtime expression, e.g. `$response.body#/uuid`. */
  parameters?: Record<string, string>;
  /** Body fields of the follow-up → runtime expressions (the rest of the body is the caller's). */
  requestBody?: Record<string, string>;
  description: string;
}

export interface ApiOperation {
  method: 'get' | 'post';
  /** An OpenAPI path template: `/api/activities/@{handle}`. */
  path: `/api/${string}`;
  tag: 'activities' | 'messages' | 'users' | 'gateway';
  summary: string;
  params?: { path?: z.ZodObject; query?: z.ZodObject };
  body?: z.ZodObject;
  /** The 200 answer. */
  ok: z.ZodType;
  fails: readonly FailureStatus[];
  links?: Record<string, FollowUp>;
}

// Every routed call can fail upstream, and every domain service reads or writes its
// PostgreSQL store (503 when it cannot); a call with a body can be malformed or too large.
const UPSTREAM = [502, 503, 504] as const;
const WRITE = [400, 401, 404, 413, 422, ...UPSTREAM] as const;

const activityLinks = (uuid: string): Record<string, FollowUp> => ({
  ShowActivity: { operationId: 'showActivity', parameters: { uuid }, description: 'Read the activity back' },
  ReplyToActivity: { operationId: 'replyToActivity', parameters: { uuid }, description: 'Reply to it' },
});

/**
 * The Cruddur HTTP API the gateway serves, in the order the gateway matches them (fixed
 * activity paths before `/api/activities/{uuid}`). The operation ids name the routes
 * everywhere else: the gateway's routing table, the tests, the document.
 */
export const PUBLIC_OPERATIONS = {
  healthCheck: { method: 'get', path: '/api/health-check', tag: 'gateway', summary: 'Whether the gateway is up', ok: HealthCheck, fails: [] },
  openApiDocument: {
    method: 'get',
    path: '/api/openapi.json',
    tag: 'gateway',
    summary: 'This document',
    ok: z.record(z.string(), z.unknown()).meta({ description: 'An OpenAPI 3.1 document' }),
    fails: [],
  },
  homeActivities: {
    method: 'get',
    path: '/api/activities/home',
    tag: 'activities',
    summary: `The home feed: the newest ${LIMITS.feedActivities} live activities, newest first`,
    ok: z.array(Activity).max(LIMITS.feedActivities),
    fails: UPSTREAM,
    links: {
      ...activityLinks('$response.body#/0/uuid'),
      AuthorProfile: { operationId: 'userShort', parameters: { handle: '$response.body#/0/handle' }, description: "The newest activity's author" },
    },
  },
  notifications: {
    method: 'get',
    path: '/api/activities/notifications',
    tag: 'activities',
    summary: "The acting user's live notifications, newest first",
    ok: z.array(Notification),
    fails: [401, ...UPSTREAM],
  },
  searchActivities: {
    method: 'get',
    path: '/api/activities/search',
    tag: 'activities',
    summary: `Live activities whose message contains the term, at most ${LIMITS.searchResults}`,
    params: { query: SearchQuery },
    ok: z.array(Activity).max(LIMITS.searchResults),
    fails: [422, ...UPSTREAM],
  },
  userActivities: {
    method: 'get',
    path: '/api/activities/@{handle}',
    tag: 'activities',
    summary: "A user's newest live activities",
    params: { path: HandleParams },
    ok: z.array(Activity).max(LIMITS.feedActivities),
    fails: [404, 422, ...UPSTREAM],
  },
  createActivity: {
    method: 'post',
    path: '/api/activities',
    tag: 'activities',
    summary: 'Post an activity as the acting user',
    body: NewActivity,
    ok: Activity,
    fails: WRITE,
    links: activityLinks('$response.body#/uuid'),
  },
  showActivity: {
    method: 'get',
    path: '/api/activities/{uuid}',
    tag: 'activities',
    summary: 'One live activity with its newest replies',
    params: { path: ActivityParams },
    ok: Activity,
    fails: [404, ...UPSTREAM],
  },
  replyToActivity: {
    method: 'post',
    path: '/api/activities/{uuid}/reply',
    tag: 'activities',
    summary: 'Reply to a live activity as the acting user',
    params: { path: ActivityParams },
    body: NewReply,
    ok: Reply,
    fails: WRITE,
    links: { ShowRepliedActivity: { operationId: 'showActivity', parameters: { uuid: '$request.path.uuid' }, description: 'The activity now lists the reply' } },
  },
  messageGroups: {
    method: 'get',
    path: '/api/message_groups',
    tag: 'messages',
    summary: "The acting user's conversations, most recently active first",
    ok: z.array(MessageGroup),
    fails: [401, ...UPSTREAM],
    links: {
      OpenConversation: { operationId: 'conversation', parameters: { handle: '$response.body#/0/handle' }, description: 'Open the newest conversation' },
      WriteToPeer: { operationId: 'createMessage', requestBody: { user_receiver_handle: '$response.body#/0/handle' }, description: 'Write to the other member of the newest conversation' },
    },
  },
  conversation: {
    method: 'get',
    path: '/api/messages/@{handle}',
    tag: 'messages',
    summary: `The acting user's conversation with a user: its newest ${LIMITS.messagesShown} messages, oldest first`,
    params: { path: HandleParams },
    ok: z.array(Message).max(LIMITS.messagesShown),
    fails: [401, 404, 422, ...UPSTREAM],
  },
  createMessage: {
    method: 'post',
    path: '/api/messages',
    tag: 'messages',
    summary: 'Send a direct message as the acting user',
    body: NewMessage,
    ok: Message,
    fails: WRITE,
    links: { ReadConversation: { operationId: 'conversation', parameters: { handle: '$request.body#/user_receiver_handle' }, description: 'The conversation now ends with it' } },
  },
  userShort: {
    method: 'get',
    path: '/api/users/@{handle}/short',
    tag: 'users',
    summary: "A user's short profile",
    params: { path: HandleParams },
    ok: UserShort,
    fails: [404, 422, ...UPSTREAM],
    links: { UserActivities: { operationId: 'userActivities', parameters: { handle: '$response.body#/handle' }, description: "The user's activities" } },
  },
} as const satisfies Record<string, ApiOperation>;

export type OperationId = keyof typeof PUBLIC_OPERATIONS;

/** The operations the gateway routes to a domain service (all but its own, tagged gateway). */
export type RoutedOperationId = { [K in OperationId]: (typeof PUBLIC_OPERATIONS)[K]['tag'] extends 'gateway' ? never : K }[OperationId];

/**
 * What the domain services ask each other, beside the public API: not routed by the gateway
 * and not in the served document, but held to the same schemas in the tests.
 */
export const INTERNAL_OPERATIONS = {
  lookupUsers: {
    method: 'get',
    path: '/api/users',
    tag: 'users',
    summary: 'Short profiles of the known handles among `handles` (comma-separated)',
    params: { query: LookupQuery },
    ok: UserList,
    fails: [422, 503],
  },
  findActivities: {
    method: 'get',
    path: '/api/activities',
    tag: 'activities',
    summary: 'Live activities whose message contains `term` (what the search service asks)',
    params: { query: FindQuery },
    ok: z.array(Activity),
    fails: [502, 503, 504],
  },
} as const satisfies Record<string, ApiOperation>;
