/** The performance mark set when the home feed is first on screen (ms since navigation: its startTime). */
export const FIRST_FEED_MARK = 'cruddur:first-feed';
