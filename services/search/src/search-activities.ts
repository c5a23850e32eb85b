import { LIMITS, SearchQuery, type Activity } from '@cruddur/api-contract';
import { boundedTerm, parseInput, setResultLength, withSpan, type Upstream } from '@cruddur/service-kit';

/** Searches live activities for `rawTerm` (the query's `term`, whatever it is) by asking the activities service. */
export function searchActivities(activities: Upstream, rawTerm: unknown): Promise<Activity[]> {
  const asked = typeof rawTerm === 'string' ? rawTerm.trim() : '';
  return withSpan('search.activities', { 'app.search.term': boundedTerm(asked), 'app.search.term_length': asked.length }, async (span) => {
    const { term } = parseInput(SearchQuery, { term: rawTerm });
    const results = await activities.get<Activity[]>('/api/activities', { term, limit: LIMITS.searchResults });
    setResultLength(span, results.length);
    return results;
  });
}
