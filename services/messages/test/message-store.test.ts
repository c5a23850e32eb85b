import { messageFixture, type MessageFixture } from './store-fixture';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const uuidNo = (i: number) => `00000000-0000-4000-c000-${String(i).padStart(12, '0')}`;

let fixture: MessageFixture;
beforeAll(async () => {
  fixture = await messageFixture();
});
afterAll(() => fixture.db.drop());
beforeEach(() => fixture.reset());

const send = (n: number, from: string, to: string, at = NOW) =>
  fixture.store.send({ messageUuid: uuidNo(n), newGroupUuid: uuidNo(100 + n), from, to, message: `m${n}`, at });

describe('MessageStore', () => {
  it('finds a conversation whichever member is named first, and whoever wrote first', async () => {
    expect(await send(1, 'zed', 'amy')).toBe(uuidNo(101));
    expect(await fixture.store.between('amy', 'zed')).toBe(uuidNo(101));
    expect(await fixture.store.between('zed', 'amy')).toBe(uuidNo(101));
    // The other member's reply goes into the same conversation.
    expect(await send(2, 'amy', 'zed')).toBe(uuidNo(101));
    expect((await fixture.store.newestMessages(uuidNo(101), 50)).map((m) => m.message)).toEqual(['m1', 'm2']);
  });

  it('finds no conversation between users who share none', async () => {
    await send(1, 'amy', 'zed');
    await send(2, 'zed', 'bob');
    expect(await fixture.store.between('amy', 'bob')).toBeUndefined();
    expect(await fixture.store.between('bob', 'amy')).toBeUndefined();
    expect(await fixture.store.between('amy', 'amy')).toBeUndefined();
  });

  it('makes one conversation of two first messages sent at once', async () => {
    const [a, b] = await Promise.all([send(1, 'amy', 'zed'), send(2, 'zed', 'amy')]);
    expect(a).toBe(b);
    expect(await fixture.store.groupsOf('amy')).toHaveLength(1);
  });

  it("lists a user's conversations, the most recently active first, each with its last message", async () => {
    await send(1, 'amy', 'zed', new Date(NOW.getTime() - 2000));
    await send(2, 'bob', 'amy', new Date(NOW.getTime() - 1000));
    await send(3, 'zed', 'amy', NOW);
    const groups = await fixture.store.groupsOf('amy');
    expect(groups.map((g) => [g.members, g.last?.message])).toEqual([
      [['amy', 'zed'], 'm3'],
      [['amy', 'bob'], 'm2'],
    ]);
  });
});
