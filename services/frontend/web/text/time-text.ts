const UNITS: ReadonlyArray<[unit: string, ms: number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
];

/** A span of time in its largest whole unit: `3d`, `5h`, `12m`, or `now` under a minute. */
function span(ms: number): string {
  for (const [unit, size] of UNITS) if (ms >= size) return `${Math.floor(ms / size)}${unit}`;
  return 'now';
}

/** How long ago an instant was, as a feed shows it: `5h ago`, `just now`. */
export function timeAgo(iso: string, now: number): string {
  const text = span(Math.max(0, now - Date.parse(iso)));
  return text === 'now' ? 'just now' : `${text} ago`;
}

/** How long until an instant: `expires in 6d`, `expires now`. */
export function expiresIn(iso: string, now: number): string {
  const text = span(Math.max(0, Date.parse(iso) - now));
  return text === 'now' ? 'expires now' : `expires in ${text}`;
}
