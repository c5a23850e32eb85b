import { AppError } from '@cruddur/service-kit';
import { asStoreError, unavailableReason } from '@cruddur/store-kit';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('what a store failure reaches the client as', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:4576', 'ECONNREFUSED'), 'ECONNREFUSED'],
    ['a server shutting down', withCode('terminating connection due to administrator command', '57P01'), 'SQLSTATE 57P01'],
    ['a server starting up', withCode('the database system is starting up', '57P03'), 'SQLSTATE 57P03'],
    ['the statement timeout', withCode('canceling statement due to statement timeout', '57014'), 'statement timeout'],
    ['too many connections', withCode('sorry, too many clients already', '53300'), 'SQLSTATE 53300'],
    ['a wrong password', withCode('password authentication failed for user "users"', '28P01'), 'SQLSTATE 28P01'],
    ['a missing database', withCode('database "cruddur" does not exist', '3D000'), 'SQLSTATE 3D000'],
    ['a deadlock', withCode('deadlock detected', '40P01'), 'SQLSTATE 40P01'],
    ['tables not migrated yet', withCode('relation "activities.activities" does not exist', '42P01'), 'SQLSTATE 42P01'],
    ['no free connection in time', new Error('timeout exceeded when trying to connect'), 'timeout exceeded when trying to connect'],
    ['a connection cut', new Error('Connection terminated unexpectedly'), 'connection terminated'],
    ['a wrapped socket error', new Error('Connection terminated due to connection timeout', { cause: withCode('x', 'ETIMEDOUT') }), 'connection terminated'],
  ])('%s is 503 store_unavailable, with a reason and no SQL', (_what, error, reason) => {
    expect(unavailableReason(error)).toBe(reason);
    const mapped = asStoreError('users', error);
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped).toMatchObject({ kind: 'store_unavailable', status: 503, message: `users cannot reach its database (${reason}); try again` });
    expect((mapped as AppError).body()).toEqual({ error: 'store_unavailable', message: `users cannot reach its database (${reason}); try again` });
  });

  it.each([
    ['a syntax error', withCode('syntax error at or near "SELEC"', '42601')],
    ['an undefined column', withCode('column "nope" does not exist', '42703')],
    ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a bad uuid', withCode('invalid input syntax for type uuid', '22P02')],
    ['a plain bug', new TypeError('x is undefined')],
  ])('%s stays what it is: a bug, answered 500 and logged', (_what, error) => {
    expect(unavailableReason(error)).toBeUndefined();
    expect(asStoreError('users', error)).toBe(error);
  });

  it('leaves an AppError as it is', () => {
    const notFound = AppError.notFound('no user @nobody');
    expect(asStoreError('users', notFound)).toBe(notFound);
  });
});
