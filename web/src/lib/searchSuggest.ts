// Suggestions for the search box: the query language of the search issue (plain words,
// "exact phrase", -word, from:, in:, has:image, before:, after:), completed from what the user
// is typing in the last token.

export interface Suggestion {
  /** The whole query after accepting this suggestion. */
  value: string;
  label: string;
  hint: string;
}

export const OPERATORS: { token: string; hint: string }[] = [
  { token: 'from:', hint: 'messages by a person — from:username' },
  { token: 'in:', hint: 'messages in one chat — in:chat-name' },
  { token: 'has:image', hint: 'messages with images' },
  { token: 'before:', hint: 'sent before a day — before:2024-01-31' },
  { token: 'after:', hint: 'sent after a day — after:2024-01-01' },
  { token: 'on:', hint: 'sent on a day — on:2024-01-15' },
  { token: '"', hint: 'an exact phrase — "release plan"' },
  { token: '-', hint: 'exclude a word — -draft' },
];

function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Splits off the token being typed (the text after the last space outside quotes). */
export function lastToken(query: string): { head: string; token: string } {
  let inQuote = false;
  let start = 0;
  for (let i = 0; i < query.length; i++) {
    if (query[i] === '"') inQuote = !inQuote;
    else if (query[i] === ' ' && !inQuote) start = i + 1;
  }
  return { head: query.slice(0, start), token: query.slice(start) };
}

export function suggest(query: string, people: { username: string; displayName: string }[], chats: { name: string; slug?: string | null }[], limit = 7): Suggestion[] {
  const { head, token } = lastToken(query);
  const lower = token.toLowerCase();
  const out: Suggestion[] = [];
  const quoteIfNeeded = (s: string) => (/\s/.test(s) ? `"${s}"` : s);
  if (lower.startsWith('from:')) {
    const q = lower.slice(5).replace(/^@/, '');
    if ('me'.startsWith(q)) out.push({ value: `${head}from:me `, label: 'from:me', hint: 'your own messages' });
    for (const p of people) {
      if (p.username.toLowerCase().startsWith(q) || p.displayName.toLowerCase().includes(q)) {
        out.push({ value: `${head}from:${p.username} `, label: `from:${p.username}`, hint: p.displayName });
      }
    }
  } else if (lower.startsWith('in:')) {
    const q = lower.slice(3).replace(/^"/, '');
    for (const c of chats) {
      const ref = c.slug ?? c.name;
      if (ref.toLowerCase().includes(q) || c.name.toLowerCase().includes(q)) {
        out.push({ value: `${head}in:${quoteIfNeeded(ref)} `, label: `in:${quoteIfNeeded(ref)}`, hint: c.name });
      }
    }
  } else if (lower.startsWith('has:')) {
    out.push({ value: `${head}has:image `, label: 'has:image', hint: 'messages with images' });
  } else if (lower.startsWith('before:') || lower.startsWith('after:') || lower.startsWith('on:')) {
    const op = lower.startsWith('before:') ? 'before:' : lower.startsWith('after:') ? 'after:' : 'on:';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(token.slice(op.length))) {
      out.push({ value: `${head}${op}${today()} `, label: `${op}${today()}`, hint: 'YYYY-MM-DD' });
    }
  } else {
    for (const op of OPERATORS) {
      if (op.token.startsWith(lower) && lower.length < op.token.length) {
        out.push({ value: `${head}${op.token}`, label: op.token === '"' ? '"phrase"' : op.token === '-' ? '-word' : op.token, hint: op.hint });
      }
    }
  }
  return out.slice(0, limit);
}
