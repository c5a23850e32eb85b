import type { Request } from 'express';
import { AppError } from '../errors';

/**
 * Who is acting. The gateway is where authentication will live, so it alone decides the
 * acting user and passes the handle to the domain services in this header; until Cruddur
 * has auth, the gateway names `andrewbrown`.
 */
export const ACTING_USER_HEADER = 'x-cruddur-user';

export function actingUser(req: Request): string {
  const handle = req.get(ACTING_USER_HEADER)?.trim();
  if (!handle) throw new AppError('unauthenticated', `no acting user: the ${ACTING_USER_HEADER} header is missing`);
  return handle;
}

/** The JSON body's bytes as the client sent them, when there was one. */
export function rawBody(req: Request): Buffer | undefined {
  return (req as Request & { rawBody?: Buffer }).rawBody;
}

/** The fields of a JSON object body; a body that is not an object (a list, a string, none) has none. */
export function bodyFields(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}
