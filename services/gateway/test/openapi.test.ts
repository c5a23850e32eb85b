import { openApiDocument } from '@cruddur/api-contract/openapi';
import { callApi, REPO_ROOT, serveRoutes } from '@cruddur/testkit';
import { createUpstream, type Serving } from '@cruddur/service-kit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_ROUTES, expressPath, gatewayRoutes } from '../src/routes';
import type { Upstreams } from '../src/upstreams';

let gateway: Serving;

beforeAll(async () => {
  // The document needs no upstream; one that refuses stands in for each.
  const refusing = createUpstream({ name: 'none', baseURL: 'http://127.0.0.1:1', timeoutMs: 100 });
  const upstreams = new Proxy({}, { get: () => refusing }) as Upstreams;
  gateway = await serveRoutes(gatewayRoutes(upstreams, 'andrewbrown'));
});

afterAll(() => gateway.stop());

describe('GET /api/openapi.json', () => {
  it('serves the contract\'s document, as JSON', async () => {
    const { status, headers, body } = await callApi(`${gateway.url}/api/openapi.json`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(body).toEqual(openApiDocument());
  });

  it('is what docs/openapi.json holds (after a contract change, run `make openapi`)', () => {
    const committed: unknown = JSON.parse(readFileSync(join(REPO_ROOT, 'docs', 'openapi.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });
});

describe('the routing table', () => {
  it('routes every path of the document that a domain service answers, with its method', () => {
    const documented = Object.entries(openApiDocument().paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { tags: string[] }>)
        .filter(([, operation]) => operation.tags[0] !== 'gateway')
        .map(([method]) => `${method.toUpperCase()} ${expressPath(path)}`),
    );
    expect(API_ROUTES.map((r) => `${r.method} ${r.path}`)).toEqual(documented);
  });

  it('turns path templates into Express paths', () => {
    expect(expressPath('/api/activities/@{handle}')).toBe('/api/activities/@:handle');
    expect(expressPath('/api/activities/{uuid}/reply')).toBe('/api/activities/:uuid/reply');
  });
});
