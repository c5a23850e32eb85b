import { LIMITS } from '@cruddur/api-contract';
import { createTestDatabase, type TestDatabase } from '@cruddur/testkit';
import { findUserShort, lookupUsers } from '../src/lookup';
import { UserStore } from '../src/store';

const WORF = { uuid: '1f4f3a9e-6f5d-4b0e-8a53-6e2d8f3c0b72', handle: 'worf', display_name: 'Worf' };
const GAREK = { uuid: 'b9d1e0c4-2a67-4e39-9b8e-5c1a7d4f6e03', handle: 'garek', display_name: 'Garek' };

// The seed migration's users, in a database of this suite's own.
let db: TestDatabase;
let users: UserStore;
beforeAll(async () => {
  db = await createTestDatabase(['users']);
  users = new UserStore(db.storeFor('users'));
});
afterAll(() => db.drop());
const seedUsers = () => users;

describe('findUserShort', () => {
  it('gives the short profile (uuid, handle, display name, nothing more)', async () => {
    expect(await findUserShort(seedUsers(), 'worf')).toEqual(WORF);
  });

  it('trims the handle', async () => {
    expect(await findUserShort(seedUsers(), '  worf ')).toEqual(WORF);
  });

  it('answers 404 for an unknown handle', async () => {
    await expect(findUserShort(seedUsers(), 'nobody')).rejects.toMatchObject({ kind: 'not_found', status: 404, message: 'no user @nobody' });
  });

  it('answers 404, not a failed query, for a handle holding a NUL', async () => {
    await expect(findUserShort(seedUsers(), 'wo\u0000rf')).rejects.toMatchObject({ kind: 'not_found', status: 404 });
  });

  it.each(['', '   '])('rejects the blank handle %p with user_handle_blank', async (handle) => {
    await expect(findUserShort(seedUsers(), handle)).rejects.toMatchObject({ kind: 'invalid', status: 422, codes: ['user_handle_blank'] });
  });
});

describe('lookupUsers', () => {
  it('gives the known users in the order asked, leaving unknown handles out', async () => {
    expect(await lookupUsers(seedUsers(), ['worf', 'nobody', 'garek'])).toEqual([WORF, GAREK]);
  });

  it('takes a quote or a NUL in a handle as a handle nobody has', async () => {
    expect(await lookupUsers(seedUsers(), ["worf' OR '1'='1", 'garek\u0000', 'worf'])).toEqual([WORF]);
  });

  it('gives nothing for no handles', async () => {
    expect(await lookupUsers(seedUsers(), [])).toEqual([]);
  });

  it('takes up to 100 handles', async () => {
    expect(LIMITS.lookupHandles).toBe(100);
    const handles = ['worf', ...Array.from({ length: 99 }, (_, i) => `ghost${i}`)];
    expect(await lookupUsers(seedUsers(), handles)).toEqual([WORF]);
  });

  it('rejects more than 100 handles with user_handles_exceed_max', async () => {
    const handles = Array.from({ length: 101 }, (_, i) => `user${i}`);
    await expect(lookupUsers(seedUsers(), handles)).rejects.toMatchObject({ kind: 'invalid', status: 422, codes: ['user_handles_exceed_max'] });
  });
});
