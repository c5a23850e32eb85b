import type { PUBLIC_OPERATIONS } from '@cruddur/api-contract';
import type { z } from 'zod';

// The client's types, all derived from the API contract (packages/api-contract), the zod
// schemas the OpenAPI document is generated from. Only types cross over: no schema, and so
// no zod, reaches the browser's bundle.

export type { Activity, InvalidCode, Message, MessageGroup, Notification, Reply, Ttl } from '@cruddur/api-contract';

type Operations = typeof PUBLIC_OPERATIONS;

/** The operations the app calls: every routed one but the users service's short profile, which no page needs. */
export type ClientOperationId =
  | 'homeActivities'
  | 'notifications'
  | 'searchActivities'
  | 'userActivities'
  | 'createActivity'
  | 'showActivity'
  | 'replyToActivity'
  | 'messageGroups'
  | 'conversation'
  | 'createMessage';

/**
 * Each operation's method and path template. `satisfies` holds every entry to the
 * contract's literal types, so a route the contract moves fails to compile here.
 */
export const ROUTES = {
  homeActivities: { method: 'get', path: '/api/activities/home' },
  notifications: { method: 'get', path: '/api/activities/notifications' },
  searchActivities: { method: 'get', path: '/api/activities/search' },
  userActivities: { method: 'get', path: '/api/activities/@{handle}' },
  createActivity: { method: 'post', path: '/api/activities' },
  showActivity: { method: 'get', path: '/api/activities/{uuid}' },
  replyToActivity: { method: 'post', path: '/api/activities/{uuid}/reply' },
  messageGroups: { method: 'get', path: '/api/message_groups' },
  conversation: { method: 'get', path: '/api/messages/@{handle}' },
  createMessage: { method: 'post', path: '/api/messages' },
} as const satisfies { [K in ClientOperationId]: Pick<Operations[K], 'method' | 'path'> };

/** The 200 answer of an operation. */
export type Answer<K extends ClientOperationId> = z.output<Operations[K]['ok']>;

type PathInput<K extends ClientOperationId> = Operations[K] extends { params: { path: infer P extends z.ZodType } } ? { params: z.input<P> } : unknown;
type QueryInput<K extends ClientOperationId> = Operations[K] extends { params: { query: infer Q extends z.ZodType } } ? { query: z.input<Q> } : unknown;
type BodyInput<K extends ClientOperationId> = Operations[K] extends { body: infer B extends z.ZodType } ? { body: z.input<B> } : unknown;

/** What a call needs besides the operation: its path parameters, query and body, each only where the contract has one. */
export type CallInput<K extends ClientOperationId> = PathInput<K> & QueryInput<K> & BodyInput<K>;
