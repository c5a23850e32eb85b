import { traceAction } from '#tracing';
import { ROUTES, type Answer, type CallInput, type ClientOperationId } from './contract';
import { ApiError, failureOf } from './failure';
import { fillPath, queryString } from './paths';

export interface ApiClient {
  /**
   * Calls an operation of the API on the gateway and resolves with its answer, or rejects
   * with an ApiError. The call runs in a span named after the operation (the browser's root
   * span of the trace), whose child is the fetch instrumentation's CLIENT span.
   */
  call<K extends ClientOperationId>(operation: K, input: CallInput<K>): Promise<Answer<K>>;
}

interface AnyInput {
  params?: Record<string, string>;
  query?: Record<string, string | undefined>;
  body?: unknown;
}

/** An answer's JSON, or undefined when it has none (a proxy's HTML error page, an empty body). */
async function jsonOf(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

/** The client of the gateway at `gatewayUrl` (an origin, no trailing slash). */
export function createApiClient(gatewayUrl: string): ApiClient {
  return {
    call<K extends ClientOperationId>(operation: K, input: CallInput<K>): Promise<Answer<K>> {
      const { params, query, body } = input as AnyInput;
      const route = ROUTES[operation];
      const url = `${gatewayUrl}${fillPath(route.path, params)}${queryString(query)}`;
      return traceAction(operation, { 'app.operation': operation }, async () => {
        let response: Response;
        try {
          // Called before the first await, so inside the action's span: the fetch span is its child.
          response = await fetch(url, {
            method: route.method.toUpperCase(),
            ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
          });
        } catch (error) {
          throw new ApiError(operation, { kind: 'unreachable' }, { cause: error });
        }
        const answer = await jsonOf(response);
        if (!response.ok) throw new ApiError(operation, failureOf(response.status, answer));
        return answer as Answer<K>;
      });
    },
  };
}
