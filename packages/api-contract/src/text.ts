import { z } from 'zod';
import { failsWith, type InvalidCode } from './codes';

/**
 * The characters String.prototype.trim() strips (ECMAScript's WhiteSpace and LineTerminator),
 * spelled out rather than written `\s`: the pattern goes into the OpenAPI document, and a
 * client in another language (Schemathesis's Python among them) reads `\s` as its own,
 * different set, so a text it thinks is not blank could be blank here.
 */
const TRIMMED = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';

/** Matches a text with at least one character that trim() keeps. */
export const NOT_BLANK = new RegExp(`[^${TRIMMED}]`);

/**
 * A stored or searched text must not hold NUL (U+0000): PostgreSQL's text type cannot store
 * it, so it is refused at validation with its own code rather than failing in the store.
 */
export const hasNul = (text: string): boolean => text.includes('\u0000');

/**
 * What a bounded text's OpenAPI document says it matches: at least one character trim()
 * keeps, and no NUL anywhere. One pattern, because JSON Schema has one `pattern` per schema
 * and a fuzzer generating valid input must meet both rules; the checks themselves stay
 * apart, so each failure names its own code.
 */
export const STORABLE_TEXT = new RegExp(`^[^\\u0000]*[^${TRIMMED}\\u0000][^\\u0000]*$`);

/** Characters as Cruddur counts them: code points, so an emoji is one, not two UTF-16 units. */
export const charCount = (text: string): number => [...text].length;

/**
 * A required string with at least one character trim() keeps; missing, not a string or
 * blank fails with `blank`. Parsed, it comes out trimmed (the trim runs after the checks).
 */
export const nonBlank = (blank: InvalidCode) => z.string(failsWith(blank)).regex(NOT_BLANK, { ...failsWith(blank), abort: true }).trim();

/**
 * A required text of at most `max` characters, as the client sent it (the services store it
 * trimmed); blank fails with `blank`, too long with `tooLong`, a NUL with `nul`. The length
 * is checked as sent and in code points, as JSON Schema's maxLength counts it, so the
 * document and the check agree on every input.
 */
export const boundedText = (max: number, blank: InvalidCode, tooLong: InvalidCode, nul: InvalidCode) =>
  z
    .string(failsWith(blank))
    .regex(NOT_BLANK, { ...failsWith(blank), abort: true })
    .refine((value) => charCount(value) <= max, failsWith(tooLong))
    .refine((value) => !hasNul(value), failsWith(nul))
    .trim()
    .meta({ maxLength: max, pattern: STORABLE_TEXT.source });
