import { LIMITS } from '#contract-limits';
import { useState, type FormEvent } from 'react';
import type { Activity, Ttl } from '../api/contract';
import { useApi } from '../app/api-context';
import { useSubmit } from '../app/use-submit';
import { TTL_CHOICES, TTL_TEXT } from '../text/ttl-text';
import { CharCounter } from './CharCounter';
import { FailureNotice } from './FailureNotice';

/** Posts an activity (message and lifetime) as the acting user; the feed shows it once the API has it. */
export function ActivityForm({ onPosted }: { onPosted: (activity: Activity) => void }) {
  const api = useApi();
  const { submitting, failure, run } = useSubmit();
  const [message, setMessage] = useState('');
  const [ttl, setTtl] = useState<Ttl>('7-days');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const activity = await run(() => api.call('createActivity', { body: { message, ttl } }));
    if (activity) {
      setMessage('');
      onPosted(activity);
    }
  };
  return (
    <form className="card compose" onSubmit={submit} aria-label="Post an activity">
      <label className="field">
        <span className="field-label">What is happening?</span>
        <textarea name="message" rows={3} value={message} onChange={(e) => setMessage(e.target.value)} placeholder="Say something to Cruddur" />
      </label>
      <div className="compose-row">
        <label className="field field-inline">
          <span className="field-label">Lives for</span>
          <select name="ttl" value={ttl} onChange={(e) => setTtl(e.target.value as Ttl)}>
            {TTL_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {TTL_TEXT[choice]}
              </option>
            ))}
          </select>
        </label>
        <CharCounter text={message} limit={LIMITS.activityChars} />
        <button type="submit" className="button button-primary" disabled={submitting}>
          {submitting ? 'Posting…' : 'Crud'}
        </button>
      </div>
      {failure && <FailureNotice failure={failure} />}
    </form>
  );
}
