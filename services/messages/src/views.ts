import type { Message as MessageView, MessageGroup as MessageGroupView, UserShort } from '@cruddur/api-contract';
import type { Message, MessageGroup } from './store';

// The JSON shapes the Cruddur frontend renders are the API contract's.
export type { MessageView, MessageGroupView };

export type DisplayNames = Map<string, UserShort>;

const nameOf = (names: DisplayNames, handle: string) => names.get(handle)?.display_name ?? handle;

export function messageView(message: Message, names: DisplayNames): MessageView {
  return {
    uuid: message.uuid,
    display_name: nameOf(names, message.handle),
    handle: message.handle,
    message: message.message,
    created_at: message.created_at.toISOString(),
  };
}

export function otherMember(group: MessageGroup, handle: string): string {
  return group.members[0] === handle ? group.members[1] : group.members[0];
}

export function messageGroupView(group: MessageGroup, viewer: string, names: DisplayNames): MessageGroupView {
  const other = otherMember(group, viewer);
  const { last } = group;
  return {
    uuid: group.uuid,
    display_name: nameOf(names, other),
    handle: other,
    created_at: (last?.created_at ?? group.created_at).toISOString(),
    message: last?.message ?? '',
  };
}
