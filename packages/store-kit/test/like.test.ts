import { containsPattern, isUuid } from '@cruddur/store-kit';

describe('containsPattern', () => {
  it.each([
    ['cloud', '%cloud%'],
    ['50%', '%50\\%%'],
    ['snake_case', '%snake\\_case%'],
    ['back\\slash', '%back\\\\slash%'],
    ['%_\\', '%\\%\\_\\\\%'],
    ["it's", "%it's%"],
    ['', '%%'],
  ])('makes %p match only itself, anywhere: %p', (term, pattern) => {
    expect(containsPattern(term)).toBe(pattern);
  });
});

describe('isUuid', () => {
  it.each([
    ['68f126b0-1ceb-4a33-88be-d90fa7109eee', true],
    ['68F126B0-1CEB-4A33-88BE-D90FA7109EEE', true],
    ['00000000-0000-4000-8000-000000000001', true],
    ['no-such-uuid', false],
    ['68f126b0-1ceb-4a33-88be-d90fa7109eee ', false],
    ["' OR 1=1 --", false],
    ['', false],
  ])('%p: %p', (text, expected) => {
    expect(isUuid(text)).toBe(expected);
  });
});
