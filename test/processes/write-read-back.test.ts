/**
 * A write reads back exactly as written, through the gateway and PostgreSQL: quotes,
 * backslashes, LIKE wildcards, emoji and other texts at the length limits (counted in code
 * points), stored trimmed and nothing else changed; a NUL, which PostgreSQL text cannot hold,
 * is refused with 422 before anything is stored.
 */
import { LIMITS } from '@cruddur/api-contract';
import { callApi, startStack, type Stack } from '@cruddur/testkit';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 60_000);

afterAll(() => stack?.stop());

const send = (path: string, body: unknown) =>
  callApi(`${stack.gatewayUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const read = async (path: string) => (await callApi(`${stack.gatewayUrl}${path}`)).body;

/** Texts that a careless store would bend: each must come back as it went in. */
const TRICKY = [
  `Robert'); DROP TABLE activities.activities;--`,
  `"double" and 'single' quotes, a \\ backslash, \\n not a newline`,
  '100% of snake_case; %_\\ all literal',
  'emoji 🚀☁️🖖🏽 and a family 👨‍👩‍👧, flags 🇳🇿',
  'right-to-left: שלום עולם, and Arabic: مرحبا',
  'combining: e\u0301 vs é; zero-width: a\u200bb; a line\nbreak and a\ttab inside',
  '$1 $2 ? :name {{x}} ${y}',
];

test.each(TRICKY)('an activity %p reads back exactly', async (message) => {
  const created = await send('/api/activities', { message, ttl: '1-hour' });
  expect(created.status).toBe(200);
  expect(created.body.message).toBe(message);
  expect((await read(`/api/activities/${created.body.uuid}`)).message).toBe(message);
});

test('an activity of 280 code points (emoji: 560 UTF-16 units), stored trimmed, reads back exactly; 281 is refused', async () => {
  const message = '🚀'.repeat(LIMITS.activityChars - 1) + 'x';
  const created = await send('/api/activities', { message, ttl: '1-hour' });
  expect(created.status).toBe(200);
  expect((await read(`/api/activities/${created.body.uuid}`)).message).toBe(message);
  const padded = await send('/api/activities', { message: ` ${'é'.repeat(LIMITS.activityChars - 2)} `, ttl: '1-hour' });
  expect((await read(`/api/activities/${padded.body.uuid}`)).message).toBe('é'.repeat(LIMITS.activityChars - 2));
  expect((await send('/api/activities', { message: `${message}!`, ttl: '1-hour' })).body).toEqual(['message_exceed_max_chars']);
});

test('a reply and a message of 1024 code points read back exactly', async () => {
  const [activity] = await read('/api/activities/home');
  const text = `'"\\%_` + '🖖'.repeat(LIMITS.replyChars - 5);
  const reply = await send(`/api/activities/${activity.uuid}/reply`, { message: text });
  expect(reply.status).toBe(200);
  const shown = await read(`/api/activities/${activity.uuid}`);
  expect(shown.replies.find((r: { uuid: string }) => r.uuid === reply.body.uuid).message).toBe(text);

  const sent = await send('/api/messages', { message: text, user_receiver_handle: 'worf' });
  expect(sent.status).toBe(200);
  const conversation = await read('/api/messages/@worf');
  expect(conversation.at(-1)).toMatchObject({ uuid: sent.body.uuid, message: text });
});

test('a NUL is refused with 422 message_contains_nul, and nothing is stored', async () => {
  const before = (await read('/api/activities/home')).length;
  expect((await send('/api/activities', { message: 'a\u0000b', ttl: '1-hour' })).body).toEqual(['message_contains_nul']);
  const [activity] = await read('/api/activities/home');
  expect((await send(`/api/activities/${activity.uuid}/reply`, { message: '\u0000x' })).body).toEqual(['message_contains_nul']);
  expect((await send('/api/messages', { message: 'x\u0000', user_receiver_handle: 'worf' })).body).toEqual(['message_contains_nul']);
  expect((await read('/api/activities/home')).length).toBe(before);
  expect((await callApi(`${stack.gatewayUrl}/api/activities/search?term=${encodeURIComponent('a\u0000b')}`)).body).toEqual(['search_term_contains_nul']);
});

test("a search for '%' finds a percent sign, not everything", async () => {
  await send('/api/activities', { message: 'uptime: 99.9% this week', ttl: '1-hour' });
  await send('/api/activities', { message: 'see snake_case', ttl: '1-hour' });
  const found = await read(`/api/activities/search?term=${encodeURIComponent('%')}`);
  expect(found.length).toBeGreaterThan(0);
  expect(found.filter((a: { message: string }) => !a.message.includes('%'))).toEqual([]);
  const underscore = await read(`/api/activities/search?term=${encodeURIComponent('_')}`);
  expect(underscore.length).toBeGreaterThan(0);
  expect(underscore.filter((a: { message: string }) => !a.message.includes('_'))).toEqual([]);
});
