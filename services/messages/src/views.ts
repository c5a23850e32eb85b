import type { UserShort } from '@cruddur/users-client';
import type { Message, MessageGroup } from './store';

export interface MessageView {
  uuid: string;
  display_name: string;
  handle: string;
  message: string;
  created_at: string;
}

export interface MessageGroupView {
  uuid: string;
  /** The other member of the conversation. */
  display_name: string;
  handle: string;
  /** When the conversation last moved. */
  created_at: string;
  /** Its last message. */
  message: string;
}

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
  const last = group.messages.at(-1);
  return {
    uuid: group.uuid,
    display_name: nameOf(names, other),
    handle: other,
    created_at: (last?.created_at ?? group.created_at).toISOString(),
    message: last?.message ?? '',
  };
}
