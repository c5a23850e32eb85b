import { MessageStore, seedMessageGroups, type MessageGroup } from '../src/store';

const NOW = new Date('2025-03-01T12:00:00.000Z');

const group = (uuid: string, members: [string, string]): MessageGroup => ({ uuid, members, created_at: NOW, messages: [] });

describe('MessageStore.between', () => {
  it('finds a conversation whichever member is named first', () => {
    const store = new MessageStore(seedMessageGroups(NOW));
    const forward = store.between('andrewbrown', 'worf');
    expect(forward?.uuid).toBe('24b95582-9e7b-4e0a-9ad1-639773ab7552');
    expect(store.between('worf', 'andrewbrown')).toBe(forward);
  });

  it('finds a conversation stored with its members in either order', () => {
    const store = new MessageStore([group('ab', ['amy', 'zed']), group('za', ['yan', 'bob'])]);
    expect(store.between('amy', 'zed')?.uuid).toBe('ab');
    expect(store.between('zed', 'amy')?.uuid).toBe('ab');
    expect(store.between('bob', 'yan')?.uuid).toBe('za');
    expect(store.between('yan', 'bob')?.uuid).toBe('za');
  });

  it('finds no conversation between users who share none', () => {
    const store = new MessageStore([group('ab', ['amy', 'zed']), group('bc', ['zed', 'bob'])]);
    expect(store.between('amy', 'bob')).toBeUndefined();
    expect(store.between('bob', 'amy')).toBeUndefined();
    expect(store.between('amy', 'amy')).toBeUndefined();
  });
});

describe('MessageStore.groupsOf and add', () => {
  it('lists the conversations a user is in, including added ones', () => {
    const store = new MessageStore(seedMessageGroups(NOW));
    expect(store.groupsOf('andrewbrown')).toHaveLength(2);
    expect(store.groupsOf('worf')).toHaveLength(1);
    expect(store.groupsOf('quark')).toEqual([]);
    store.add(group('new', ['quark', 'worf']));
    expect(store.groupsOf('worf').map((g) => g.uuid)).toEqual(['24b95582-9e7b-4e0a-9ad1-639773ab7552', 'new']);
    expect(store.between('worf', 'quark')?.uuid).toBe('new');
  });
});
