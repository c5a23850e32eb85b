import { assertValid, boundedTerm, setResultLength, withSpan, type Upstream } from '@cruddur/service-kit';

/** The longest term a search takes (a bound on work and on span attributes). */
export const MAX_TERM_CHARS = 100;
/** How many activities one search returns. */
export const RESULT_LIMIT = 20;

/** An activity as the activities service returns it; search passes it on as it is. */
export type ActivityView = Record<string, unknown> & { uuid: string; message: string };

/** Searches live activities for `rawTerm` by asking the activities service. */
export function searchActivities(activities: Upstream, rawTerm: string): Promise<ActivityView[]> {
  const term = rawTerm.trim();
  return withSpan('search.activities', { 'app.search.term': boundedTerm(term), 'app.search.term_length': term.length }, async (span) => {
    assertValid([term.length === 0 && 'search_term_blank', [...term].length > MAX_TERM_CHARS && 'search_term_exceed_max_chars']);
    const results = await activities.get<ActivityView[]>('/api/activities', { term, limit: RESULT_LIMIT });
    setResultLength(span, results.length);
    return results;
  });
}
