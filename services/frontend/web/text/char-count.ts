/**
 * A text's length as the API counts it: in code points, so an emoji is one. The contract's
 * own charCount lives beside its zod schemas, which the bundle must not carry; a test holds
 * the two to the same answers.
 */
export const charCount = (text: string): number => [...text].length;
