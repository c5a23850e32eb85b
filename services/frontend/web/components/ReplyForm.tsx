import { LIMITS } from '#contract-limits';
import { useState, type FormEvent } from 'react';
import type { Reply } from '../api/contract';
import { useApi } from '../app/api-context';
import { useSubmit } from '../app/use-submit';
import { CharCounter } from './CharCounter';
import { FailureNotice } from './FailureNotice';

/** Replies to an activity as the acting user. */
export function ReplyForm({ activityUuid, onReplied }: { activityUuid: string; onReplied: (reply: Reply) => void }) {
  const api = useApi();
  const { submitting, failure, run } = useSubmit();
  const [message, setMessage] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const reply = await run(() => api.call('replyToActivity', { params: { uuid: activityUuid }, body: { message } }));
    if (reply) {
      setMessage('');
      onReplied(reply);
    }
  };
  return (
    <form className="compose compose-reply" onSubmit={submit} aria-label="Reply">
      <label className="field">
        <span className="field-label">Your reply</span>
        <textarea name="reply" rows={2} value={message} onChange={(e) => setMessage(e.target.value)} />
      </label>
      <div className="compose-row">
        <CharCounter text={message} limit={LIMITS.replyChars} />
        <button type="submit" className="button button-primary" disabled={submitting}>
          {submitting ? 'Replying…' : 'Reply'}
        </button>
      </div>
      {failure && <FailureNotice failure={failure} />}
    </form>
  );
}
