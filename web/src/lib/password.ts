// The password policy of seed §8.3, shown to the user live as they type (the server enforces it).
export interface Rule {
  label: string;
  test: (password: string) => boolean;
}

export const PASSWORD_RULES: Rule[] = [
  { label: 'At least 8 characters', test: (p) => p.length >= 8 },
  { label: 'An uppercase letter', test: (p) => /[A-Z]/.test(p) },
  { label: 'A lowercase letter', test: (p) => /[a-z]/.test(p) },
  { label: 'A number', test: (p) => /[0-9]/.test(p) },
  { label: 'A special character', test: (p) => /[^A-Za-z0-9]/.test(p) },
];

export const USERNAME_RULE = /^[A-Za-z0-9_]{3,50}$/;

export function passwordOk(p: string): boolean {
  return PASSWORD_RULES.every((r) => r.test(p)) && new TextEncoder().encode(p).length <= 72;
}

/** Only same-site paths may be a post-login destination (no open redirect). */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/chats';
  if (next.startsWith('/login') || next.startsWith('/register')) return '/chats';
  return next;
}
