import type { Reply } from '../api/contract';
import { PostHeader } from './PostHeader';

/** An activity's replies, oldest first, as the API gives them. */
export function ReplyList({ replies, now }: { replies: Reply[]; now: number }) {
  if (replies.length === 0) return null;
  return (
    <ol className="replies">
      {replies.map((reply) => (
        <li key={reply.uuid} className="reply">
          <PostHeader displayName={reply.display_name} handle={reply.handle} createdAt={reply.created_at} now={now} />
          <p className="message">{reply.message}</p>
        </li>
      ))}
    </ol>
  );
}
