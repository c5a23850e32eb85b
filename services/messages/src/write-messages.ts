import { NewMessage } from '@cruddur/api-contract';
import { parseInput, withSpan } from '@cruddur/service-kit';
import type { MessageDeps } from './deps';
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
    const sent = { uuid: deps.newUuid(), handle: sender.handle, message, created_at: deps.now() };
    const groupUuid = await deps.store.send({
      messageUuid: sent.uuid,
      newGroupUuid: deps.newUuid(),
      from: sender.handle,
      to: receiver.handle,
      message,
      at: sent.created_at,
    });
    span.setAttributes({ 'app.message_group.uuid': groupUuid, 'app.message.uuid': sent.uuid });
    return messageView(sent, new Map([[sender.handle, sender]]));
  });
}
