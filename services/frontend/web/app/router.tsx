import { useSyncExternalStore, type MouseEvent, type ReactNode } from 'react';

/** Fired on window after the app changes the URL itself (pushState fires nothing). */
const NAVIGATED = 'cruddur:navigated';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATED, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATED, onChange);
  };
}

const currentLocation = () => `${location.pathname}${location.search}`;

/** The current path and query; the component re-renders when either changes. */
export function useLocation(): { pathname: string; search: string; key: string } {
  const key = useSyncExternalStore(subscribe, currentLocation);
  return { pathname: location.pathname, search: location.search, key };
}

/** Shows another page of the app without a reload. */
export function navigate(to: string): void {
  if (to === currentLocation()) return;
  history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATED));
  window.scrollTo(0, 0);
}

/** A link within the app: a plain click navigates in place; a modified click (new tab, …) is the browser's. */
export function Link({ to, className, children }: { to: string; className?: string; children: ReactNode }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} className={className} onClick={onClick}>
      {children}
    </a>
  );
}
