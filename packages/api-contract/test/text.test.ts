import { boundedText, charCount, nonBlank, NOT_BLANK, STORABLE_TEXT } from '@cruddur/api-contract';

describe('NOT_BLANK', () => {
  it('agrees with trim() on every character of the Basic Multilingual Plane', () => {
    const disagreements: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const char = String.fromCharCode(code);
      if (NOT_BLANK.test(char) !== (char.trim() !== '')) disagreements.push(code.toString(16));
    }
    expect(disagreements).toEqual([]);
  });

  it('finds the one kept character among whitespace', () => {
    expect(NOT_BLANK.test(' \u3000\ufeff x \n')).toBe(true);
    expect(NOT_BLANK.test(' \u3000\ufeff\u2028\t\n')).toBe(false);
  });

  it('writes no \\s, which another language would read as its own set', () => {
    expect(NOT_BLANK.source).not.toContain('\\s');
  });
});

describe('charCount', () => {
  it('counts code points: an emoji is one character', () => {
    expect(charCount('☁🚀')).toBe(2);
    expect('☁🚀'.length).toBe(3);
  });
});

describe('nonBlank', () => {
  const handle = nonBlank('user_handle_blank');

  it('gives the text trimmed', () => {
    expect(handle.parse('  worf \n')).toBe('worf');
  });

  it.each([[''], ['  \t'], [undefined], [42], [['worf']]])('fails %p with its code', (value) => {
    expect(handle.safeParse(value).error?.issues.map((i) => i.message)).toEqual(['user_handle_blank']);
  });
});

describe('boundedText', () => {
  const message = boundedText(5, 'message_blank', 'message_exceed_max_chars', 'message_contains_nul');
  const codes = (value: unknown) => message.safeParse(value).error?.issues.map((i) => i.message);

  it('takes `max` characters, emoji counted as one, and gives them trimmed', () => {
    expect(message.parse('🚀🚀🚀🚀🚀')).toBe('🚀🚀🚀🚀🚀');
    expect(message.parse(' abc ')).toBe('abc');
  });

  it('counts the text as sent, surrounding whitespace included, as maxLength does', () => {
    expect(codes(' abcde ')).toEqual(['message_exceed_max_chars']);
  });

  it('fails a blank text with the blank code alone, however long it is', () => {
    expect(codes(' '.repeat(50))).toEqual(['message_blank']);
  });

  it('fails a text holding a NUL (PostgreSQL text cannot store one) with the NUL code, beside any other', () => {
    expect(codes('a\u0000b')).toEqual(['message_contains_nul']);
    expect(codes('abcdef\u0000')).toEqual(['message_exceed_max_chars', 'message_contains_nul']);
    expect(codes('\u0000')).toEqual(['message_contains_nul']);
  });

  it("documents one pattern that holds exactly for what the checks take, so a fuzzer's valid text is valid here", () => {
    const pattern = new RegExp(STORABLE_TEXT.source);
    for (const text of ['a', ' a ', '🚀', 'x\ty', '"q"', "'q'"]) expect([text, pattern.test(text), codes(text)]).toEqual([text, true, undefined]);
    for (const text of ['', '   ', '\u0000', 'a\u0000', '\u3000\ufeff']) expect([text, pattern.test(text)]).toEqual([text, false]);
  });
});
