import { useApi } from '../app/api-context';
import { useLoad } from '../app/use-load';
import { ActivityCard } from '../components/ActivityCard';
import { LoadView } from '../components/LoadView';
import { SearchForm } from '../components/SearchForm';

/** The activities whose message holds `term`. */
function SearchResults({ term }: { term: string }) {
  const api = useApi();
  const { loaded, reload } = useLoad(() => api.call('searchActivities', { query: { term } }), `search ${term}`);
  const now = Date.now();
  return (
    <LoadView loaded={loaded} onRetry={reload}>
      {(activities) =>
        activities.length === 0 ? (
          <p className="empty">No live activity mentions “{term}”.</p>
        ) : (
          <div className="feed" data-feed="search">
            {activities.map((activity) => (
              <ActivityCard key={activity.uuid} activity={activity} now={now} />
            ))}
          </div>
        )
      }
    </LoadView>
  );
}

/** The search box, and the results of the search in the address (none asked before one is made). */
export function SearchPage({ term }: { term: string | undefined }) {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Search</h1>
      <SearchForm key={term ?? ''} term={term} />
      {term !== undefined && <SearchResults term={term} />}
    </section>
  );
}
