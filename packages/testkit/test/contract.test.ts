import { checkAnswer } from '@cruddur/testkit';

const JSON_TYPE = 'application/json; charset=utf-8';
const REPLY = {
  uuid: '26e12864-1c26-5c3a-9658-97a10f8fea67',
  reply_to_activity_uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
  display_name: 'Worf',
  handle: 'worf',
  message: 'This post has no honor!',
  replies_count: 0,
  reposts_count: 0,
  likes_count: 0,
  created_at: '2025-02-27T12:00:00.000Z',
};
const ACTIVITY = {
  uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
  display_name: 'Andrew Brown',
  handle: 'andrewbrown',
  message: 'Cloud is very fun!',
  replies_count: 1,
  reposts_count: 0,
  likes_count: 5,
  created_at: '2025-02-27T12:00:00.000Z',
  expires_at: '2025-03-06T12:00:00.000Z',
  replies: [REPLY],
};

const check =
  (method: string, url: string, status: number, body: unknown, contentType: string | null = JSON_TYPE) =>
  () =>
    checkAnswer(method, url, status, contentType, body);

describe('checkAnswer', () => {
  it('takes answers the contract describes', () => {
    expect(check('GET', 'http://127.0.0.1:4567/api/activities/home', 200, [ACTIVITY])).not.toThrow();
    expect(check('GET', '/api/activities/68f126b0-1ceb-4a33-88be-d90fa7109eee', 200, ACTIVITY)).not.toThrow();
    expect(check('POST', '/api/activities', 422, ['message_blank', 'ttl_blank'])).not.toThrow();
    expect(check('GET', '/api/activities/notifications', 502, { error: 'upstream_unavailable', message: 'down' })).not.toThrow();
    expect(check('GET', '/api/users?handles=worf', 200, { users: [{ uuid: REPLY.uuid, handle: 'worf', display_name: 'Worf' }] })).not.toThrow();
  });

  it('matches a fixed path before a template that would also match it', () => {
    // As /api/activities/{uuid}, a list would be the wrong shape.
    expect(check('GET', '/api/activities/home', 200, [])).not.toThrow();
    expect(check('GET', '/api/activities/home', 200, ACTIVITY)).toThrow('body must be array');
  });

  it.each([
    ['a field missing', { ...ACTIVITY, expires_at: undefined }, "must have required property 'expires_at'"],
    ['a field more', { ...ACTIVITY, secret: 'x' }, 'must NOT have additional properties'],
    ['a field of the wrong type', { ...ACTIVITY, likes_count: '5' }, 'body/likes_count must be integer'],
    ['a nested reply that drifted', { ...ACTIVITY, replies: [{ ...REPLY, created_at: 'yesterday' }] }, 'body/replies/0/created_at must match format "date-time"'],
    ['a malformed uuid', { ...ACTIVITY, uuid: 'new-1' }, 'body/uuid must match format "uuid"'],
  ])('fails an answer with %s', (_what, body, message) => {
    expect(check('GET', '/api/activities/68f126b0-1ceb-4a33-88be-d90fa7109eee', 200, JSON.parse(JSON.stringify(body)))).toThrow(message);
  });

  it('fails a status the operation does not list', () => {
    expect(check('GET', '/api/activities/home', 404, { error: 'not_found', message: 'x' })).toThrow('/api/activities/home does not list 404');
    expect(check('GET', '/api/activities/home', 500, { error: 'internal', message: 'x' })).toThrow('does not list 500');
  });

  it('fails an error body of another status, and a 422 code outside the closed set', () => {
    expect(check('GET', '/api/activities/notifications', 504, { error: 'upstream_unavailable', message: 'x' })).toThrow(
      'body/error must be equal to one of the allowed values',
    );
    expect(check('POST', '/api/activities', 422, ['message_too_short'])).toThrow('body/0 must be equal to one of the allowed values');
  });

  it('fails an answer that is not JSON, and a request no operation takes', () => {
    expect(check('GET', '/api/activities/home', 200, [], 'text/html')).toThrow('the contract answers application/json');
    expect(check('DELETE', '/api/activities/home', 200, [])).toThrow('no operation of the contract takes this request');
    expect(check('GET', '/api/nothing', 200, {})).toThrow('no operation of the contract takes this request');
  });
});
