import { NewMessage } from '@cruddur/api-contract';
import { parseInput, withSpan } from '@cruddur/service-kit';
import type { MessageDeps } from './deps';
import type { Message, MessageGroup } from './store';
import { messageView, type MessageView } from './views';

/** Who the client asked to write to, for the span, whatever it sent. */
const askedReceiver = (input: unknown) => {
  const handle = (input as { user_receiver_handle?: unknown } | null)?.user_receiver_handle;
  return typeof handle === 'string' ? handle.trim() : '';
};

/** Sends a message from `handle`, starting the conversation if there was none; `input` is the request body. */
export function createMessage(deps: MessageDeps, handle: string, input: unknown): Promise<MessageView> {
  return withSpan('messages.create', { 'app.user.handle': handle, 'app.message.peer_handle': askedReceiver(input) }, async (span) => {
    const { message, user_receiver_handle: receiverHandle } = parseInput(NewMessage, input);
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
