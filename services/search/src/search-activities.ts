import { charCount, LIMITS, SearchQuery, type Activity } from '@cruddur/api-contract';
import { boundedTerm, faultFlag, markFault, parseInput, setResultLength, withSpan, type Span, type Upstream } from '@cruddur/service-kit';
import { setTimeout as sleep } from 'node:timers/promises';

/** Terms longer than this (in characters) are the ones searchSlowTermMs slows down. */
export const SLOW_TERM_CHARS = 10;

/** searchSlowTermMs: a long term waits before the search, as a slow query would; short ones never evaluate the flag. */
async function slowTermFault(span: Span, term: string): Promise<void> {
  if (charCount(term) <= SLOW_TERM_CHARS) return;
  const delayMs = await faultFlag('searchSlowTermMs');
  if (delayMs <= 0) return;
  markFault(span, 'searchSlowTermMs', { 'app.fault.delay_ms': delayMs });
  await sleep(delayMs);
}

/** Searches live activities for `rawTerm` (the query's `term`, whatever it is) by asking the activities service. */
export function searchActivities(activities: Upstream, rawTerm: unknown): Promise<Activity[]> {
  const asked = typeof rawTerm === 'string' ? rawTerm.trim() : '';
  return withSpan('search.activities', { 'app.search.term': boundedTerm(asked), 'app.search.term_length': asked.length }, async (span) => {
    const { term } = parseInput(SearchQuery, { term: rawTerm });
    await slowTermFault(span, term);
    const results = await activities.get<Activity[]>('/api/activities', { term, limit: LIMITS.searchResults });
    setResultLength(span, results.length);
    return results;
  });
}
