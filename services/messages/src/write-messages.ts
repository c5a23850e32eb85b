import { assertValid, withSpan } from '@cruddur/service-kit';
import type { MessageDeps } from './deps';
import type { Message, MessageGroup } from './store';
import { messageView, type MessageView } from './views';

export const MAX_MESSAGE_CHARS = 1024;

const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

export interface NewMessage {
  message?: unknown;
  user_receiver_handle?: unknown;
}

/** Sends a message from `handle`, starting the conversation if there was none. */
export function createMessage(deps: MessageDeps, handle: string, input: NewMessage): Promise<MessageView> {
  const message = text(input.message);
  const receiverHandle = text(input.user_receiver_handle);
  return withSpan('messages.create', { 'app.user.handle': handle, 'app.message.peer_handle': receiverHandle }, async (span) => {
    assertValid([
      message.length === 0 && 'message_blank',
      // Characters (code points), as Cruddur counts them: an emoji is one, not two UTF-16 units.
      [...message].length > MAX_MESSAGE_CHARS && 'message_exceed_max_chars',
      receiverHandle.length === 0 && 'user_receiver_handle_blank',
    ]);
    const [sender, receiver] = await Promise.all([deps.users.short(handle), deps.users.short(receiverHandle)]);
    const now = deps.now();
    let group = deps.store.between(sender.handle, receiver.handle);
    if (!group) {
      group = { uuid: deps.newUuid(), members: [sender.handle, receiver.handle], created_at: now, messages: [] } satisfies MessageGroup;
      deps.store.add(group);
    }
    const sent: Message = { uuid: deps.newUuid(), handle: sender.handle, message, created_at: now };
    group.messages.push(sent);
    span.setAttributes({ 'app.message_group.uuid': group.uuid, 'app.message.uuid': sent.uuid });
    return messageView(sent, new Map([[sender.handle, sender]]));
  });
}
