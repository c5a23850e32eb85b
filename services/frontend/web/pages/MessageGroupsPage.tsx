import { useApi } from '../app/api-context';
import { Link, navigate } from '../app/router';
import { hrefOf } from '../app/routes';
import { useLoad } from '../app/use-load';
import { LoadView } from '../components/LoadView';
import { MessageForm } from '../components/MessageForm';
import { timeAgo } from '../text/time-text';

/** The acting user's conversations, most recent first, and a form to start another. */
export function MessageGroupsPage() {
  const api = useApi();
  const { loaded, reload } = useLoad(() => api.call('messageGroups', {}), 'message groups');
  const now = Date.now();
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Messages</h1>
      <LoadView loaded={loaded} onRetry={reload}>
        {(groups) =>
          groups.length === 0 ? (
            <p className="empty">No conversations yet.</p>
          ) : (
            <ul className="groups" data-feed="message-groups">
              {groups.map((group) => (
                <li key={group.uuid} className="card group">
                  <Link to={hrefOf({ name: 'conversation', handle: group.handle })} className="group-link">
                    <span className="display-name">{group.display_name}</span> <span className="handle">@{group.handle}</span>
                    <time className="post-time" dateTime={group.created_at}>
                      {timeAgo(group.created_at, now)}
                    </time>
                    <span className="group-last">{group.message}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )
        }
      </LoadView>
      <h2>New message</h2>
      <MessageForm onSent={(_message, receiver) => navigate(hrefOf({ name: 'conversation', handle: receiver }))} />
    </section>
  );
}
