import { INVALID_CODES, PUBLIC_OPERATIONS, type ApiOperation } from '@cruddur/api-contract';
import { internalOpenApiDocument, openApiDocument } from '@cruddur/api-contract/openapi';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking a JSON document

const document = openApiDocument() as Json;

const operations = Object.entries(document.paths as Json).flatMap(([path, item]) =>
  Object.entries(item as Json).map(([method, operation]) => ({ path, method, operation: operation as Json })),
);

describe('the OpenAPI document', () => {
  it.each([
    ['public', document],
    ['internal', internalOpenApiDocument() as Json],
  ])('the %s one is a valid OpenAPI 3.1 document', (_which, doc) => {
    // The validator's own CLI (an ES module, which jest's CommonJS loader cannot import): it
    // checks the file against the official OpenAPI 3.1 schema and resolves every $ref.
    const file = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const run = spawnSync('validate-api', [file], { encoding: 'utf8' });
    expect({ status: run.status, output: JSON.parse(run.stdout) }).toEqual({ status: 0, output: { valid: true } });
    expect(doc.openapi).toBe('3.1.0');
  });

  it('has one operation per contract operation, under its id', () => {
    expect(operations.map((o) => o.operation.operationId).sort()).toEqual(Object.keys(PUBLIC_OPERATIONS).sort());
  });

  it.each(Object.entries(PUBLIC_OPERATIONS) as Array<[string, ApiOperation]>)('%s answers 200 and every failure the contract lists, all as JSON', (id, contract) => {
    const { operation } = operations.find((o) => o.operation.operationId === id)!;
    expect(Object.keys(operation.responses).sort()).toEqual(['200', ...contract.fails.map(String)].sort());
    for (const response of Object.values(operation.responses as Json)) expect(Object.keys(response.content)).toEqual(['application/json']);
  });

  it('lists 400 and 413 wherever there is a body, and 422 wherever the input is checked', () => {
    for (const [id, op] of Object.entries(PUBLIC_OPERATIONS) as Array<[string, ApiOperation]>) {
      if (op.body) expect({ id, fails: op.fails }).toEqual({ id, fails: expect.arrayContaining([400, 413, 422]) });
      else expect({ id, fails: op.fails }).toEqual({ id, fails: expect.not.arrayContaining([400, 413]) });
    }
  });

  it('gives each failure status one error shape: the code list for 422, { error, message } with that status\'s kinds otherwise', () => {
    const bodies = new Map<string, unknown>();
    for (const { operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses as Json)) {
        if (status === '200') continue;
        const schema = response.content['application/json'].schema;
        expect({ status, schema: bodies.get(status) ?? schema }).toEqual({ status, schema });
        bodies.set(status, schema);
      }
    }
    const schemas = document.components.schemas as Json;
    const kinds = (ref: unknown) => schemas[String((ref as Json).$ref).split('/').pop()!].properties.error.enum;
    expect(kinds(bodies.get('404'))).toEqual(['not_found']);
    expect(kinds(bodies.get('502'))).toEqual(['upstream_unavailable', 'upstream_error']);
    expect(kinds(bodies.get('504'))).toEqual(['upstream_timeout']);
    expect(schemas.InvalidCodes.items.enum).toEqual([...INVALID_CODES]);
  });

  it('states the bounds: text lengths, list sizes, and not-blank patterns', () => {
    const schemas = document.components.schemas as Json;
    expect(schemas.NewActivity.properties.message).toMatchObject({ maxLength: 280, pattern: expect.any(String) });
    expect(schemas.NewReply.properties.message.maxLength).toBe(1024);
    expect(schemas.NewActivity.properties.ttl.enum).toEqual(['30-days', '7-days', '3-days', '1-day', '12-hours', '3-hours', '1-hour']);
    const search = operations.find((o) => o.operation.operationId === 'searchActivities')!.operation;
    expect(search.parameters.find((p: Json) => p.name === 'term')).toMatchObject({ in: 'query', required: true, schema: { maxLength: 100 } });
    expect(search.responses['200'].content['application/json'].schema.maxItems).toBe(20);
  });

  it('documents W3C trace context on every routed operation, and not on the gateway\'s own', () => {
    for (const { operation } of operations) {
      const refs = (operation.parameters ?? []).map((p: Json) => p.$ref).filter(Boolean);
      const traced = operation.tags[0] !== 'gateway';
      expect({ id: operation.operationId, refs }).toEqual({
        id: operation.operationId,
        refs: traced ? ['#/components/parameters/traceparent', '#/components/parameters/tracestate', '#/components/parameters/baggage'] : [],
      });
    }
  });

  it('links each write to reading it back, to an operation that exists', () => {
    const ids = new Set(operations.map((o) => o.operation.operationId));
    const links = operations.flatMap(({ operation }) => Object.values((operation.responses['200'].links ?? {}) as Json).map((l) => [operation.operationId, l.operationId]));
    expect(links).toEqual(expect.arrayContaining([['createActivity', 'showActivity'], ['createActivity', 'replyToActivity'], ['createMessage', 'conversation']]));
    for (const [, target] of links) expect(ids.has(target)).toBe(true);
  });

  it('gives examples that its own schemas accept', () => {
    const ajv = new Ajv2020({ strict: false, validateSchema: false });
    addFormats(ajv);
    ajv.addSchema(document, 'doc');
    const checked: string[] = [];
    const walk = (node: unknown, pointer: string) => {
      if (!node || typeof node !== 'object') return;
      const examples = (node as Json).examples;
      if (Array.isArray(examples) && !pointer.includes('/examples')) {
        const validate = ajv.getSchema(`doc#${pointer}`)!;
        for (const example of examples) expect({ pointer, example, valid: validate(example) }).toEqual({ pointer, example, valid: true });
        checked.push(pointer);
      }
      for (const [key, child] of Object.entries(node)) walk(child, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    };
    walk(document.components, '/components');
    expect(checked.length).toBeGreaterThan(3);
  });
});
