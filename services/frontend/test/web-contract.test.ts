import { PUBLIC_OPERATIONS } from '@cruddur/api-contract';
import { ROUTES, type Answer, type CallInput } from '../web/api/contract';

it("calls each operation by the contract's method and path", () => {
  for (const [operation, route] of Object.entries(ROUTES)) {
    const { method, path } = PUBLIC_OPERATIONS[operation as keyof typeof ROUTES];
    expect({ operation, ...route }).toEqual({ operation, method, path });
  }
});

it('covers every operation the gateway routes to a service but the short profile, which no page shows', () => {
  const routed = Object.entries(PUBLIC_OPERATIONS)
    .filter(([, operation]) => operation.tag !== 'gateway')
    .map(([id]) => id);
  expect(Object.keys(ROUTES).sort()).toEqual(routed.filter((id) => id !== 'userShort').sort());
});

it("types each call's input and answer from the contract (checked by tsc -p tsconfig.test.json)", () => {
  const inputs: Array<CallInput<'showActivity'> | CallInput<'createActivity'> | CallInput<'searchActivities'>> = [
    { params: { uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee' } },
    { body: { message: 'hi', ttl: '1-hour' } },
    { query: { term: 'Cloud' } },
  ];
  // @ts-expect-error showActivity needs its uuid
  const noUuid: CallInput<'showActivity'> = {};
  // @ts-expect-error a lifetime the contract does not list
  const badTtl: CallInput<'createActivity'> = { body: { message: 'hi', ttl: '2-days' } };
  // @ts-expect-error a reply has no ttl, and the answer is a Reply, not an Activity
  const replyTtl: Answer<'replyToActivity'>['expires_at'] = '';
  expect([inputs.length, noUuid, badTtl, replyTtl]).toEqual([3, {}, { body: { message: 'hi', ttl: '2-days' } }, '']);
});
