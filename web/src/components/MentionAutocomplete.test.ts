import { describe, expect, it } from 'vitest';
import { mentionQuery } from './MentionAutocomplete';

describe('mentionQuery', () => {
  it('finds the @name being typed before the caret', () => {
    expect(mentionQuery('hi @al', 6)).toEqual({ start: 3, query: 'al' });
    expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQuery('(@Bob', 5)).toEqual({ start: 1, query: 'bob' });
  });

  it('ignores e-mail addresses, finished mentions and text after the caret', () => {
    expect(mentionQuery('mail x@example', 14)).toBeNull();
    expect(mentionQuery('@alice done', 11)).toBeNull();
    expect(mentionQuery('hi @al', 2)).toBeNull();
  });
});
