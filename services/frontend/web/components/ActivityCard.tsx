import { useState } from 'react';
import type { Activity, Notification, Reply } from '../api/contract';
import { Link } from '../app/router';
import { hrefOf } from '../app/routes';
import { expiresIn } from '../text/time-text';
import { PostHeader } from './PostHeader';
import { ReplyForm } from './ReplyForm';
import { ReplyList } from './ReplyList';

interface Props {
  activity: Activity | Notification;
  now: number;
  /** Called with a reply the person just posted; without it the card offers no reply form. */
  onReplied?: (reply: Reply) => void;
}

/** One activity: its post, counts and lifetime, its newest replies, and a reply form on demand. */
export function ActivityCard({ activity, now, onReplied }: Props) {
  const [replying, setReplying] = useState(false);
  const replied = (reply: Reply) => {
    setReplying(false);
    onReplied?.(reply);
  };
  return (
    <article className="card activity" data-uuid={activity.uuid}>
      <PostHeader displayName={activity.display_name} handle={activity.handle} createdAt={activity.created_at} now={now} />
      <p className="message">{activity.message}</p>
      <footer className="activity-footer">
        <Link to={hrefOf({ name: 'activity', uuid: activity.uuid })} className="meta-link">
          {activity.replies_count === 1 ? '1 reply' : `${activity.replies_count} replies`}
        </Link>
        <span className="meta">{activity.reposts_count} reposts</span>
        <span className="meta">{activity.likes_count} likes</span>
        <span className="meta">{expiresIn(activity.expires_at, now)}</span>
        {onReplied && (
          <button type="button" className="link-button" onClick={() => setReplying((open) => !open)} aria-expanded={replying}>
            {replying ? 'Cancel' : 'Reply'}
          </button>
        )}
      </footer>
      {replying && onReplied && <ReplyForm activityUuid={activity.uuid} onReplied={replied} />}
      <ReplyList replies={activity.replies} now={now} />
    </article>
  );
}
