/** A newUuid for tests: well-formed (as the contract requires), distinct and predictable: …000000000001, …000000000002, … */
export function sequentialUuids(): () => string {
  let next = 0;
  return () => `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`;
}
