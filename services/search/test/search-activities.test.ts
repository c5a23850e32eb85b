import { LIMITS } from '@cruddur/api-contract';
import { serveRoutes } from '@cruddur/testkit';
import { AppError, createUpstream, type Serving, type Upstream } from '@cruddur/service-kit';
import type { Request } from 'express';
import { searchRoutes } from '../src/routes';
import { searchActivities } from '../src/search-activities';

const FOUND = [{ uuid: 'a1', message: 'Cloud is fun!', handle: 'andrewbrown' }];

/** How the fake activities service answers the next call, and what it was asked. */
const fake = { answer: 'ok' as 'ok' | 'broken', calls: [] as Array<Request['query']> };

const serveApp = (routes: Parameters<typeof serveRoutes>[0]) => serveRoutes(routes, { bodyLimit: '1kb' });

let activitiesService: Serving;
let searchService: Serving;
let activities: Upstream;

beforeAll(async () => {
  activitiesService = await serveApp((app) =>
    app.get('/api/activities', (req, res) => {
      fake.calls.push(req.query);
      if (fake.answer === 'broken') res.status(500).json({ error: 'internal', message: 'internal error' });
      else res.json(FOUND);
    }),
  );
  activities = createUpstream({ name: 'activities', baseURL: activitiesService.url, timeoutMs: 2000 });
  searchService = await serveApp(searchRoutes(activities));
});

afterAll(async () => {
  await searchService.stop();
  await activitiesService.stop();
});

beforeEach(() => {
  fake.answer = 'ok';
  fake.calls = [];
});

describe('searchActivities', () => {
  it('asks the activities service with the trimmed term and the result limit, and returns its answer', async () => {
    expect(await searchActivities(activities, '  cloud ')).toEqual(FOUND);
    expect(fake.calls).toEqual([{ term: 'cloud', limit: String(LIMITS.searchResults) }]);
    expect(LIMITS.searchResults).toBe(20);
  });

  it.each(['', '   ', '\t\n'])('rejects the blank term %p with search_term_blank, asking no one', async (term) => {
    await expect(searchActivities(activities, term)).rejects.toMatchObject({ kind: 'invalid', codes: ['search_term_blank'] });
    expect(fake.calls).toEqual([]);
  });

  it('takes a term of 100 characters', async () => {
    expect(LIMITS.termChars).toBe(100);
    await searchActivities(activities, 'x'.repeat(100));
    expect(fake.calls).toHaveLength(1);
  });

  it('counts characters, not UTF-16 code units', async () => {
    await searchActivities(activities, '☁'.repeat(50) + '🚀'.repeat(50));
    expect(fake.calls).toHaveLength(1);
  });

  it('rejects 101 characters with search_term_exceed_max_chars, asking no one', async () => {
    await expect(searchActivities(activities, 'x'.repeat(101))).rejects.toMatchObject({
      kind: 'invalid',
      codes: ['search_term_exceed_max_chars'],
    });
    expect(fake.calls).toEqual([]);
  });

  it('turns an activities failure into a 502', async () => {
    fake.answer = 'broken';
    const error = await searchActivities(activities, 'cloud').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ kind: 'upstream_error', status: 502 });
  });

  it('turns an unreachable activities service into a 502', async () => {
    const down = createUpstream({ name: 'activities', baseURL: 'http://127.0.0.1:1', timeoutMs: 500 });
    await expect(searchActivities(down, 'cloud')).rejects.toMatchObject({ kind: 'upstream_unavailable', status: 502 });
  });
});

describe('GET /api/activities/search', () => {
  const search = async (query: string) => {
    const response = await fetch(`${searchService.url}/api/activities/search${query}`);
    return { status: response.status, body: (await response.json()) as unknown };
  };

  it('answers the results for a term', async () => {
    expect(await search('?term=Cloud')).toEqual({ status: 200, body: FOUND });
    expect(fake.calls).toEqual([{ term: 'Cloud', limit: '20' }]);
  });

  it.each(['', '?term=', '?term=%20%20', '?term=a&term=b'])('answers 422 search_term_blank for %p', async (query) => {
    expect(await search(query)).toEqual({ status: 422, body: ['search_term_blank'] });
  });

  it('answers 422 search_term_exceed_max_chars for 101 characters', async () => {
    expect(await search(`?term=${'x'.repeat(101)}`)).toEqual({ status: 422, body: ['search_term_exceed_max_chars'] });
  });

  it('answers 502 when the activities service fails', async () => {
    fake.answer = 'broken';
    expect(await search('?term=cloud')).toEqual({ status: 502, body: { error: 'upstream_error', message: 'activities answered 500' } });
  });
});
