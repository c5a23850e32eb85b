import { charCount } from '../text/char-count';

/** Characters used of the limit, as the API counts them; marked once over (the API would answer 422). */
export function CharCounter({ text, limit }: { text: string; limit: number }) {
  const used = charCount(text);
  return <span className={used > limit ? 'counter counter-over' : 'counter'}>{`${used}/${limit}`}</span>;
}
