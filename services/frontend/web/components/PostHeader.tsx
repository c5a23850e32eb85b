import { Link } from '../app/router';
import { hrefOf } from '../app/routes';
import { timeAgo } from '../text/time-text';

/** Who wrote a post and when: display name, @handle (to their page), age. */
export function PostHeader({ displayName, handle, createdAt, now }: { displayName: string; handle: string; createdAt: string; now: number }) {
  return (
    <header className="post-header">
      <Link to={hrefOf({ name: 'user', handle })} className="post-author">
        <span className="display-name">{displayName}</span> <span className="handle">@{handle}</span>
      </Link>
      <time className="post-time" dateTime={createdAt}>
        {timeAgo(createdAt, now)}
      </time>
    </header>
  );
}
