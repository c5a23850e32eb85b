/** A pattern matching every URL of one origin and nothing else (not `http://host:45670`, not `http://host.evil`). */
export function originPattern(origin: string): RegExp {
  return new RegExp(`^${origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/|$)`);
}
