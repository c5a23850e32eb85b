import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatCases, readReport, unfollowedLinks } from '../src/report';

/** A Schemathesis 4 ScenarioFinished event, trimmed to the fields the report reads. */
const scenario = (phase: string, cases: Array<{ method: string; path: string; mode?: string; link?: string; inferred?: boolean; applied?: boolean }>, failed: string[] = []) => ({
  ScenarioFinished: {
    phase,
    recorder: {
      label: 'x',
      cases: Object.fromEntries(
        cases.map((c, i) => [
          `c${i}`,
          {
            value: { method: c.method, path: c.path, meta: { generation: { mode: c.mode ?? 'positive' } } },
            transition: c.link ? { id: c.link, is_inferred: c.inferred ?? false } : null,
            is_transition_applied: c.applied ?? false,
          },
        ]),
      ),
      checks: { c0: [{ name: 'not_a_server_error', status: 'success' }, ...failed.map((name) => ({ name, status: 'failure' }))] },
    },
  },
});

function reportOf(events: unknown[]) {
  const file = join(mkdtempSync(join(tmpdir(), 'fuzz-report-')), 'events.ndjson');
  writeFileSync(file, [{ Initialize: { seed: 1 } }, ...events].map((e) => JSON.stringify(e)).join('\n') + '\n');
  return readReport(file);
}

const CREATE = 'POST /api/activities -> [200] ShowActivity -> GET /api/activities/{uuid}';

describe('the fuzz report', () => {
  const report = reportOf([
    scenario('coverage', [
      { method: 'POST', path: '/api/activities', mode: 'negative' },
      { method: 'POST', path: '/api/activities', mode: 'negative' },
      { method: 'TRACE', path: '/api/activities', mode: 'negative' },
    ]),
    scenario('fuzzing', [{ method: 'POST', path: '/api/activities' }], ['response_schema_conformance']),
    scenario('stateful', [
      { method: 'POST', path: '/api/activities' },
      { method: 'GET', path: '/api/activities/{uuid}', link: CREATE, applied: true },
      { method: 'GET', path: '/api/activities/{uuid}', link: 'GET /api/activities/home -> [200] GetActivity -> GET /api/activities/{uuid}', inferred: true, applied: true },
      { method: 'POST', path: '/api/activities/{uuid}/reply', link: 'POST /api/activities -> [200] ReplyToActivity -> POST …', applied: false },
    ]),
  ]);

  it('counts the cases per operation, phase and mode', () => {
    expect(report.cases.get('POST /api/activities')).toEqual(
      new Map([
        ['coverage', { positive: 0, negative: 2 }],
        ['fuzzing', { positive: 1, negative: 0 }],
        ['stateful', { positive: 1, negative: 0 }],
      ]),
    );
    expect(report.failedChecks).toEqual(new Map([['response_schema_conformance', 1]]));
  });

  it('counts a declared link only when it was applied, and never an inferred one', () => {
    expect(report.linksApplied).toEqual(new Map([[CREATE, 1]]));
    expect(unfollowedLinks(report, ['POST /api/activities -> [200] ShowActivity', 'POST /api/activities -> [200] ReplyToActivity'])).toEqual([
      'POST /api/activities -> [200] ReplyToActivity',
    ]);
  });

  it('prints documented operations as rows and the probes of other methods as one line', () => {
    const table = formatCases(report, new Set(['POST /api/activities', 'GET /api/activities/{uuid}', 'POST /api/activities/{uuid}/reply']));
    expect(table).toMatch(/^POST \/api\/activities\s+-\s+0\+2\s+1\+0\s+1\+0$/m);
    expect(table).toContain('methods no path takes: 1 cases on 1 method-path pairs');
    expect(table).not.toContain('TRACE');
    expect(table).toMatch(/8 cases in all$/);
  });
});
