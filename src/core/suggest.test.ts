import { describe, expect, it } from 'vitest';
import { formatSuggestion, suggestClosest } from './suggest.js';

const STAGE_KEYS = ['cmd', 'wdir', 'deps', 'params', 'outs', 'metrics', 'env', 'alwaysRun'];

describe('suggestClosest', () => {
  it.each([
    ['cmdd', 'cmd'],
    ['dep', 'deps'],
    ['metric', 'metrics'],
    ['AlwaysRun', 'alwaysRun'],
    ['always-run', 'alwaysRun'],
    ['always_changed', 'alwaysRun'],
    ['outputs', 'outs'],
  ])('suggests %s -> %s', (word, expected) => {
    expect(suggestClosest(word, STAGE_KEYS)).toBe(expected);
  });

  it.each(['owner', 'image', 'x'])('suggests nothing far-fetched for %s', (word) => {
    expect(suggestClosest(word, STAGE_KEYS)).toBeUndefined();
  });

  it('does not suggest an alias target that is not allowed at this level', () => {
    expect(suggestClosest('command', ['name', 'labels'])).toBeUndefined();
  });

  it('formats quoted and bare suggestions, or nothing', () => {
    expect(formatSuggestion('cmdd', STAGE_KEYS)).toBe(' (did you mean "cmd"?)');
    expect(formatSuggestion('train.lrr', ['train.lr', 'train'], false)).toBe(
      ' (did you mean train.lr?)',
    );
    expect(formatSuggestion('zzz', STAGE_KEYS)).toBe('');
  });
});
