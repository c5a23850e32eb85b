import { useApi } from '../app/api-context';
import { Link } from '../app/router';
import { hrefOf } from '../app/routes';
import { useLoad } from '../app/use-load';
import { LoadView } from '../components/LoadView';
import { MessageForm } from '../components/MessageForm';
import { PostHeader } from '../components/PostHeader';

/** The conversation with one user, oldest message first, and the form to write to them. */
export function ConversationPage({ handle }: { handle: string }) {
  const api = useApi();
  const { loaded, reload, update } = useLoad(() => api.call('conversation', { params: { handle } }), `conversation ${handle}`);
  const now = Date.now();
  return (
    <section aria-labelledby="page-title">
      <p className="breadcrumb">
        <Link to={hrefOf({ name: 'messageGroups' })}>← Messages</Link>
      </p>
      <h1 id="page-title">Conversation with @{handle}</h1>
      <LoadView loaded={loaded} onRetry={reload}>
        {(messages) =>
          messages.length === 0 ? (
            <p className="empty">No messages with @{handle} yet.</p>
          ) : (
            <ol className="conversation" data-feed="conversation">
              {messages.map((message) => (
                <li key={message.uuid} className="card message-item">
                  <PostHeader displayName={message.display_name} handle={message.handle} createdAt={message.created_at} now={now} />
                  <p className="message">{message.message}</p>
                </li>
              ))}
            </ol>
          )
        }
      </LoadView>
      <MessageForm receiver={handle} onSent={(message) => update((messages) => [...messages, message])} />
    </section>
  );
}
