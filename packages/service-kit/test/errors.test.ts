import { AppError, assertValid } from '@cruddur/service-kit';

describe('assertValid', () => {
  it('passes when no check failed', () => {
    expect(() => assertValid([false, undefined, false])).not.toThrow();
  });

  it('throws one 422 listing every failed code, in order', () => {
    let thrown: unknown;
    try {
      assertValid(['message_blank', false, 'ttl_blank', undefined]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ kind: 'invalid', status: 422, codes: ['message_blank', 'ttl_blank'] });
    expect((thrown as AppError).body()).toEqual(['message_blank', 'ttl_blank']);
  });
});

describe('AppError', () => {
  it.each([
    ['malformed', 400],
    ['unauthenticated', 401],
    ['not_found', 404],
    ['too_large', 413],
    ['upstream_unavailable', 502],
    ['upstream_error', 502],
    ['upstream_timeout', 504],
  ] as const)('gives %s the status %i and an {error, message} body', (kind, status) => {
    const error = new AppError(kind, 'what happened');
    expect(error.status).toBe(status);
    expect(error.body()).toEqual({ error: kind, message: 'what happened' });
  });
});
