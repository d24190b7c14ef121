import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from './suggest.js';

describe('closestMatch', () => {
  it('finds a typo', () => {
    expect(closestMatch('helth', ['health', 'logs', 'env'])).toBe('health');
    expect(closestMatch('stagin', ['production', 'staging'])).toBe('staging');
  });
  it('ignores case', () => expect(closestMatch('Postgres', ['postgres'])).toBe('postgres'));
  it('does not suggest a different word', () =>
    expect(closestMatch('frontend', ['api', 'db'])).toBeUndefined());
  it('counts edits', () => expect(editDistance('kitten', 'sitting')).toBe(3));
});

describe('transpositions', () => {
  it('counts a swap of neighbouring letters as one typo', () => {
    expect(editDistance('wbe', 'web')).toBe(1);
    expect(closestMatch('evn', ['env', 'json'])).toBe('env');
  });
});

describe('abbreviations', () => {
  it('suggests the one candidate an abbreviation starts', () => {
    expect(closestMatch('prod', ['production', 'staging'])).toBe('production');
    expect(closestMatch('st', ['staging'])).toBeUndefined();
    expect(closestMatch('pro', ['production', 'profile'])).toBeUndefined();
  });
});
