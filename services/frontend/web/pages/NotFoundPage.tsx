import { Link } from '../app/router';

/** A path the app has no page for. */
export function NotFoundPage({ path }: { path: string }) {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Not found</h1>
      <p className="empty">Cruddur has no page at {path}.</p>
      <Link to="/" className="button">
        Back to the home feed
      </Link>
    </section>
  );
}
