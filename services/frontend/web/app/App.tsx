import type { ReactNode } from 'react';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { ActivityPage } from '../pages/ActivityPage';
import { ConversationPage } from '../pages/ConversationPage';
import { HomePage } from '../pages/HomePage';
import { MessageGroupsPage } from '../pages/MessageGroupsPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { NotificationsPage } from '../pages/NotificationsPage';
import { SearchPage } from '../pages/SearchPage';
import { UserPage } from '../pages/UserPage';
import { Link, useLocation } from './router';
import { hrefOf, pageAt, type Page } from './routes';

/** The component that shows a page. */
function pageView(page: Page): ReactNode {
  switch (page.name) {
    case 'home':
      return <HomePage />;
    case 'notifications':
      return <NotificationsPage />;
    case 'search':
      return <SearchPage term={page.term} />;
    case 'messageGroups':
      return <MessageGroupsPage />;
    case 'conversation':
      return <ConversationPage handle={page.handle} />;
    case 'activity':
      return <ActivityPage uuid={page.uuid} />;
    case 'user':
      return <UserPage handle={page.handle} />;
    case 'notFound':
      return <NotFoundPage path={page.path} />;
    default:
      return page satisfies never;
  }
}

/** The header's entry a page belongs under: a conversation under Messages, a page of its own elsewhere. */
const sectionOf = (page: Page): Page['name'] => (page.name === 'conversation' ? 'messageGroups' : page.name);

const NAV: ReadonlyArray<[label: string, page: Page]> = [
  ['Home', { name: 'home' }],
  ['Notifications', { name: 'notifications' }],
  ['Messages', { name: 'messageGroups' }],
  ['Search', { name: 'search', term: undefined }],
];

/** The app: a header with the pages, then the page the address names. */
export function App() {
  const { pathname, search, key } = useLocation();
  const page = pageAt(pathname, search);
  return (
    <>
      <header className="top">
        <Link to="/" className="brand">
          Cruddur
        </Link>
        <nav aria-label="Pages">
          {NAV.map(([label, target]) => (
            <Link key={label} to={hrefOf(target)} className={target.name === sectionOf(page) ? 'nav-link nav-current' : 'nav-link'}
              aria-current={target.name === sectionOf(page) ? 'page' : undefined}>
              {label}
            </Link>
          ))}
        </nav>
      </header>
      <main className="page">
        {/* Keyed by the address: a page that failed to render does not take the next one with it. */}
        <ErrorBoundary key={key}>{pageView(page)}</ErrorBoundary>
      </main>
    </>
  );
}
