import { HandleParams, LIMITS } from '@cruddur/api-contract';
import { parseInput, setResultLength, withSpan } from '@cruddur/service-kit';
import type { MessageDeps } from './deps';
import { messageGroupView, messageView, otherMember, type MessageGroupView, type MessageView } from './views';

/** The acting user's conversations, most recently active first. */
export function listMessageGroups(deps: MessageDeps, handle: string): Promise<MessageGroupView[]> {
  return withSpan('messages.groups', { 'app.user.handle': handle }, async (span) => {
    const groups = await deps.store.groupsOf(handle);
    const names = await deps.users.lookup(groups.map((g) => otherMember(g, handle)));
    const views = groups.map((g) => messageGroupView(g, handle, names)).sort((a, b) => b.created_at.localeCompare(a.created_at));
    setResultLength(span, views.length);
    return views;
  });
}

/** The conversation between the acting user and `otherHandle`: its newest messages, oldest first. */
export function conversationWith(deps: MessageDeps, handle: string, rawOther: string): Promise<MessageView[]> {
  return withSpan('messages.conversation', { 'app.user.handle': handle, 'app.message.peer_handle': rawOther.trim() }, async (span) => {
    const { handle: otherHandle } = parseInput(HandleParams, { handle: rawOther });
    const other = await deps.users.short(otherHandle);
    const groupUuid = await deps.store.between(handle, other.handle);
    if (groupUuid) span.setAttribute('app.message_group.uuid', groupUuid);
    const messages = groupUuid ? await deps.store.newestMessages(groupUuid, LIMITS.messagesShown) : [];
    const names = await deps.users.lookup(new Set(messages.map((m) => m.handle)));
    setResultLength(span, messages.length);
    return messages.map((m) => messageView(m, names));
  });
}
