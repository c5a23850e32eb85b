import { LIMITS } from '#contract-limits';
import { useState, type FormEvent } from 'react';
import type { Message } from '../api/contract';
import { useApi } from '../app/api-context';
import { useSubmit } from '../app/use-submit';
import { CharCounter } from './CharCounter';
import { FailureNotice } from './FailureNotice';

interface Props {
  /** Who receives it; without one the form asks (a new conversation). */
  receiver?: string;
  onSent: (message: Message, receiver: string) => void;
}

/** Sends a direct message as the acting user, to `receiver` or to the handle typed in. */
export function MessageForm({ receiver, onSent }: Props) {
  const api = useApi();
  const { submitting, failure, run } = useSubmit();
  const [handle, setHandle] = useState('');
  const [message, setMessage] = useState('');
  const to = receiver ?? handle.trim().replace(/^@/, '');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const sent = await run(() => api.call('createMessage', { body: { message, user_receiver_handle: to } }));
    if (sent) {
      setMessage('');
      onSent(sent, to);
    }
  };
  return (
    <form className="card compose" onSubmit={submit} aria-label={receiver ? `Message @${receiver}` : 'New message'}>
      {receiver === undefined && (
        <label className="field">
          <span className="field-label">To</span>
          <input name="receiver" value={handle} onChange={(e) => setHandle(e.target.value)} placeholder="@worf" />
        </label>
      )}
      <label className="field">
        <span className="field-label">Message</span>
        <textarea name="message" rows={2} value={message} onChange={(e) => setMessage(e.target.value)} />
      </label>
      <div className="compose-row">
        <CharCounter text={message} limit={LIMITS.messageChars} />
        <button type="submit" className="button button-primary" disabled={submitting}>
          {submitting ? 'Sending…' : 'Send'}
        </button>
      </div>
      {failure && <FailureNotice failure={failure} />}
    </form>
  );
}
