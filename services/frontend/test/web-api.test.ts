import { ApiError, failureLabel, failureOf } from '../web/api/failure';
import { fillPath, queryString } from '../web/api/paths';
import { withReply } from '../web/app/activity-updates';
import { INVALID_CODE_TEXT, failureText } from '../web/text/failure-text';
import { charCount } from '../web/text/char-count';
import { expiresIn, timeAgo } from '../web/text/time-text';
import { TTL_CHOICES } from '../web/text/ttl-text';
import { originPattern } from '../web/tracing/origin-pattern';
import { charCount as contractCharCount, INVALID_CODES, TTLS, type Activity } from '@cruddur/api-contract';

describe('failures', () => {
  it('reads a 422 as the list of codes to explain', () => {
    expect(failureOf(422, ['message_blank', 'ttl_blank'])).toEqual({ kind: 'invalid', codes: ['message_blank', 'ttl_blank'] });
  });

  it.each([502, 503, 504])('reads a %i as "try again"', (status) => {
    expect(failureOf(status, { error: 'upstream_error' })).toEqual({ kind: 'retry', status });
    expect(failureText(failureOf(status, undefined))).toMatchObject({ retry: true, title: expect.stringMatching(/Try again\.$/) });
  });

  it('reads a 404, and anything else by its status', () => {
    expect(failureOf(404, { error: 'not_found' })).toEqual({ kind: 'not_found' });
    expect(failureOf(422, { not: 'a list' })).toEqual({ kind: 'other', status: 422 });
    expect(failureOf(500, undefined)).toEqual({ kind: 'other', status: 500 });
  });

  it('has a sentence for every 422 code of the contract', () => {
    expect(Object.keys(INVALID_CODE_TEXT).sort()).toEqual([...INVALID_CODES].sort());
    const { details, retry } = failureText({ kind: 'invalid', codes: ['message_blank', 'message_exceed_max_chars'] });
    expect(details).toEqual([INVALID_CODE_TEXT.message_blank, INVALID_CODE_TEXT.message_exceed_max_chars]);
    expect(retry).toBe(false);
  });

  it('names the failure on the error a span records', () => {
    expect(new ApiError('createActivity', { kind: 'invalid', codes: ['message_blank'] }).message).toBe('createActivity: 422 message_blank');
    expect(failureLabel({ kind: 'retry', status: 502 })).toBe('502');
    expect(failureLabel({ kind: 'unreachable' })).toBe('unreachable');
  });
});

describe('paths', () => {
  it('fills a template, encoding each value', () => {
    expect(fillPath('/api/activities/@{handle}', { handle: 'a b/c' })).toBe('/api/activities/@a%20b%2Fc');
    expect(fillPath('/api/activities/{uuid}/reply', { uuid: 'u1' })).toBe('/api/activities/u1/reply');
    expect(() => fillPath('/api/messages/@{handle}', {})).toThrow(/no value for \{handle\}/);
  });

  it('writes a query of the set values only', () => {
    expect(queryString({ term: 'cloud & co' })).toBe('?term=cloud+%26+co');
    expect(queryString({ term: undefined })).toBe('');
    expect(queryString()).toBe('');
  });
});

describe('trace headers go to the gateway only', () => {
  const gateway = originPattern('http://localhost:4567');
  it.each(['http://localhost:4567/api/activities/home', 'http://localhost:4567'])('%s gets them', (url) => expect(gateway.test(url)).toBe(true));
  it.each(['http://localhost:45670/api', 'http://localhost:4567.evil.example/api', 'https://localhost:4567/api', 'http://evil.example/?http://localhost:4567/'])(
    '%s does not',
    (url) => expect(gateway.test(url)).toBe(false),
  );
});

describe('text', () => {
  const now = Date.parse('2026-01-10T12:00:00.000Z');
  it('says how old a post is and when it expires', () => {
    expect(timeAgo('2026-01-10T11:59:30.000Z', now)).toBe('just now');
    expect(timeAgo('2026-01-10T09:00:00.000Z', now)).toBe('3h ago');
    expect(timeAgo('2026-01-08T12:00:00.000Z', now)).toBe('2d ago');
    expect(expiresIn('2026-01-17T12:00:00.000Z', now)).toBe('expires in 7d');
    expect(expiresIn('2026-01-10T12:30:00.000Z', now)).toBe('expires in 30m');
  });

  it('counts characters as the API does, in code points', () => {
    expect(charCount('Qapla’! 🖖')).toBe(9);
    for (const text of ['', 'plain', 'é', '👨‍👩‍👧', '🖖'.repeat(300), 'x'.repeat(281)]) expect(charCount(text)).toBe(contractCharCount(text));
  });

  it('offers every lifetime of the contract', () => {
    expect([...TTL_CHOICES].sort()).toEqual([...TTLS].sort());
  });
});

it('adds a reply to its activity only, counting it', () => {
  const activity = { uuid: 'a1', replies: [], replies_count: 0 } as unknown as Activity;
  const reply = { uuid: 'r1', reply_to_activity_uuid: 'a1' } as unknown as Activity['replies'][number];
  expect(withReply(activity, reply)).toMatchObject({ replies: [reply], replies_count: 1 });
  const other = { ...activity, uuid: 'a2' };
  expect(withReply(other, reply)).toBe(other);
});
