/**
 * What users write outlives the process that took it: writes through the gateway, then the
 * services that stored them restarted (a rollout, an eviction), then the same reads. Nothing
 * is kept in a process's memory any more.
 */
import { callApi, startStack, type RunningService, type Stack } from '@cruddur/testkit';
import { randomBytes } from 'node:crypto';

let stack: Stack;
const restarted: RunningService[] = [];

beforeAll(async () => {
  stack = await startStack();
}, 60_000);

afterAll(async () => {
  // The replacements first: the stack drops the database its services use.
  await Promise.all(restarted.map((service) => service.stop()));
  await stack?.stop();
});

const send = (path: string, body: unknown) =>
  callApi(`${stack.gatewayUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const read = async (path: string) => (await callApi(`${stack.gatewayUrl}${path}`)).body;

test('an activity, a reply and a message are there after every service that stored them restarted', async () => {
  const tag = randomBytes(4).toString('hex');
  const activity = await send('/api/activities', { message: `kept ${tag}`, ttl: '1-day' });
  expect(activity.status).toBe(200);
  const reply = await send(`/api/activities/${activity.body.uuid}/reply`, { message: `reply ${tag}` });
  expect(reply.status).toBe(200);
  const message = await send('/api/messages', { message: `dm ${tag}`, user_receiver_handle: 'garek' });
  expect(message.status).toBe(200);
  const before = {
    shown: await read(`/api/activities/${activity.body.uuid}`),
    home: await read('/api/activities/home'),
    conversation: await read('/api/messages/@garek'),
  };

  for (const name of ['activities', 'messages'] as const) {
    const old = stack.services[name];
    expect((await old.stop('SIGTERM')).code).toBe(0);
    const again = await old.restart();
    restarted.push(again);
    expect(again.child.pid).not.toBe(old.child.pid);
  }

  expect(await read(`/api/activities/${activity.body.uuid}`)).toEqual(before.shown);
  expect(before.shown).toMatchObject({ message: `kept ${tag}`, replies_count: 1, replies: [{ uuid: reply.body.uuid, message: `reply ${tag}` }] });
  expect(await read('/api/activities/home')).toEqual(before.home);
  expect(await read('/api/messages/@garek')).toEqual(before.conversation);
  expect((before.conversation as Array<{ uuid: string }>).at(-1)).toMatchObject({ uuid: message.body.uuid, message: `dm ${tag}` });
}, 60_000);
