import { describe, expect, it } from 'vitest';
import { PASSWORD_RULES, passwordOk, safeNext } from './password';

describe('password rules', () => {
  it('match the server policy', () => {
    expect(passwordOk('Test123!')).toBe(true);
    expect(passwordOk('test123!')).toBe(false);
    expect(passwordOk('Test1234')).toBe(false);
    expect(passwordOk('Te1!')).toBe(false);
    expect(passwordOk('A1!' + 'a'.repeat(70))).toBe(false); // over 72 bytes
    expect(PASSWORD_RULES.filter((r) => r.test('abc')).map((r) => r.label)).toEqual(['A lowercase letter']);
  });
});

describe('post-login destination', () => {
  it('allows only local paths', () => {
    expect(safeNext('/chats/abc/messages/1')).toBe('/chats/abc/messages/1');
    expect(safeNext('//evil.example/x')).toBe('/chats');
    expect(safeNext('https://evil.example')).toBe('/chats');
    expect(safeNext('/\\evil')).toBe('/chats');
    expect(safeNext(null)).toBe('/chats');
    expect(safeNext('/login?next=/x')).toBe('/chats');
  });
});
