import { describe, expect, it } from 'vitest';
import { lastToken, suggest } from './searchSuggest';

const people = [{ username: 'alice', displayName: 'Alice Smith' }, { username: 'bob', displayName: 'Bob' }];
const chats = [{ name: 'Team Rocket', slug: 'team-rocket' }, { name: 'Lunch', slug: null }];

describe('search suggestions', () => {
  it('offers the operators that match what is typed', () => {
    expect(suggest('plan f', people, chats).map((s) => s.label)).toEqual(['from:']);
    expect(suggest('plan h', people, chats).map((s) => s.value)).toEqual(['plan has:image']);
    expect(suggest('', people, chats).length).toBeGreaterThan(5);
  });

  it('completes people after from:', () => {
    expect(suggest('hello from:al', people, chats).map((s) => s.value)).toEqual(['hello from:alice ']);
    expect(suggest('from:m', people, chats)[0].value).toBe('from:me ');
  });

  it('completes chats after in:, quoting names with spaces', () => {
    expect(suggest('in:team', people, chats).map((s) => s.value)).toEqual(['in:team-rocket ']);
    expect(suggest('in:lun', people, chats).map((s) => s.value)).toEqual(['in:Lunch ']);
  });

  it('suggests a date format for before: and after:', () => {
    expect(suggest('after:', people, chats)[0].label).toMatch(/^after:\d{4}-\d{2}-\d{2}$/);
    expect(suggest('after:2024-01-01', people, chats)).toEqual([]);
  });

  it('does not split inside quotes', () => {
    expect(lastToken('"release plan" fr')).toEqual({ head: '"release plan" ', token: 'fr' });
    expect(lastToken('"release pl')).toEqual({ head: '', token: '"release pl' });
  });
});
