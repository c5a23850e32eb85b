/**
 * A search term as a LIKE/ILIKE pattern that matches the term anywhere, literally: its
 * wildcards (`%`, `_`) and the escape character itself (`\`) are escaped, so a search for
 * `50%` finds "50%" and not "500". The query names the escape character (`ESCAPE '\'`) rather
 * than relying on the default. The term is still a bound parameter; this only keeps LIKE from
 * reading meaning into it.
 */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
