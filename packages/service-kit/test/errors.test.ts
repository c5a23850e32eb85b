import { AppError, parseInput, z } from '@cruddur/service-kit';

const thrownBy = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('parseInput', () => {
  const schema = z.object({
    message: z.string({ error: 'message_blank' }).min(1, { error: 'message_blank' }).max(3, { error: 'message_exceed_max_chars' }),
    ttl: z.enum(['1-day'], { error: 'ttl_blank' }),
    also: z.string({ error: 'message_blank' }),
  });

  it('gives the parsed value when every check passes', () => {
    expect(parseInput(schema, { message: 'hi', ttl: '1-day', also: 'x', extra: 1 })).toEqual({ message: 'hi', ttl: '1-day', also: 'x' });
  });

  it('throws one 422 listing every failed code once, in the schema order', () => {
    const thrown = thrownBy(() => parseInput(schema, { message: 'long', ttl: 'forever' }));
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ kind: 'invalid', status: 422, codes: ['message_exceed_max_chars', 'ttl_blank', 'message_blank'] });
    expect((thrown as AppError).body()).toEqual(['message_exceed_max_chars', 'ttl_blank', 'message_blank']);
  });

  it('lists a code that several fields fail with once', () => {
    expect(thrownBy(() => parseInput(schema, { ttl: '1-day' }))).toMatchObject({ codes: ['message_blank'] });
  });

  it('answers 400 with the message when a check names no Cruddur code', () => {
    const thrown = thrownBy(() => parseInput(z.object({ n: z.number({ error: 'n must be a number' }) }), { n: 'x' }));
    expect(thrown).toMatchObject({ kind: 'malformed', status: 400, message: 'n must be a number' });
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
