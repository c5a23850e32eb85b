/** The app's pages, each with what its path carries. */
export type Page =
  | { name: 'home' }
  | { name: 'notifications' }
  /** `term` undefined: the search box alone; a string (even blank): that search, asked of the API. */
  | { name: 'search'; term: string | undefined }
  | { name: 'messageGroups' }
  | { name: 'conversation'; handle: string }
  | { name: 'activity'; uuid: string }
  | { name: 'user'; handle: string }
  | { name: 'notFound'; path: string };

/** A path segment decoded, or undefined when it is not valid percent-encoding. */
function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The page a location shows: `/`, `/notifications`, `/search?term=`, `/messages`, `/messages/@worf`, `/activities/<uuid>`, `/@worf`. */
export function pageAt(pathname: string, search = ''): Page {
  const segments = pathname.split('/').filter(Boolean).map(decoded);
  if (segments.some((s) => s === undefined || s === '')) return { name: 'notFound', path: pathname };
  const [first, second, ...rest] = segments as string[];
  if (rest.length > 0) return { name: 'notFound', path: pathname };
  if (first === undefined) return { name: 'home' };
  if (second === undefined) {
    if (first === 'notifications') return { name: 'notifications' };
    if (first === 'search') return { name: 'search', term: new URLSearchParams(search).get('term') ?? undefined };
    if (first === 'messages') return { name: 'messageGroups' };
    if (first.startsWith('@') && first.length > 1) return { name: 'user', handle: first.slice(1) };
  } else {
    if (first === 'messages' && second.startsWith('@') && second.length > 1) return { name: 'conversation', handle: second.slice(1) };
    if (first === 'activities') return { name: 'activity', uuid: second };
  }
  return { name: 'notFound', path: pathname };
}

/** The path (and query) that shows `page`; pageAt(hrefOf(p)) is p. */
export function hrefOf(page: Page): string {
  switch (page.name) {
    case 'home':
      return '/';
    case 'notifications':
      return '/notifications';
    case 'search':
      return page.term === undefined ? '/search' : `/search?${new URLSearchParams({ term: page.term }).toString()}`;
    case 'messageGroups':
      return '/messages';
    case 'conversation':
      return `/messages/@${encodeURIComponent(page.handle)}`;
    case 'activity':
      return `/activities/${encodeURIComponent(page.uuid)}`;
    case 'user':
      return `/@${encodeURIComponent(page.handle)}`;
    case 'notFound':
      return page.path;
    default:
      return page satisfies never;
  }
}
