// Message text arrives HTML-escaped (entities) with the markdown markers **bold** and *italic*;
// search snippets are escaped text with <mark> around matches. We never hand either string to
// innerHTML: we decode one level of entities into plain text and build a small tree whose only
// element kinds are strong, em, mark and line breaks. React renders text nodes escaped, so nothing
// a sender writes can become markup, whatever the server did or did not escape.

export type FormatNode =
  | { kind: 'text'; text: string }
  | { kind: 'br' }
  | { kind: 'strong' | 'em' | 'mark'; children: FormatNode[] };

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes one level of HTML entities (named basics and numeric ones); unknown ones stay as typed. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,6});/g, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return whole;
      return String.fromCodePoint(code);
    }
    const named = NAMED[body.toLowerCase()];
    return named ?? whole;
  });
}

/** Plain text as a user typed it (entities decoded), for editing and copying. */
export function plainText(escaped: string): string {
  return decodeEntities(escaped ?? '');
}

function pushText(out: FormatNode[], text: string) {
  if (!text) return;
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (i > 0) out.push({ kind: 'br' });
    if (!line) return;
    const last = out[out.length - 1];
    if (last && last.kind === 'text') last.text += line;
    else out.push({ kind: 'text', text: line });
  });
}

/**
 * Parses the markdown subset over plain text: **bold**, *italic* (nesting allowed, e.g.
 * **bold *and italic***). A marker without its partner stays literal text.
 */
export function parseMarkdown(text: string): FormatNode[] {
  return parseRange(text, 0, text.length, 0);
}

function findClosing(text: string, from: number, end: number, marker: string): number {
  let i = from;
  while (i < end) {
    const at = text.indexOf(marker, i);
    if (at < 0 || at + marker.length > end) return -1;
    if (marker === '*') {
      // A single * closes only when it is not half of a ** pair (unless that pair closes bold around it).
      if (text[at + 1] === '*') {
        const skip = findClosing(text, at + 2, end, '**');
        if (skip < 0) return -1;
        i = skip + 2;
        continue;
      }
    }
    // Markers do not span line breaks (docs/subsystems/formatting.md).
    if (text.slice(from, at).includes('\n')) return -1;
    // The content between markers must be non-empty and not start or end with a space.
    if (at > from && !/\s/.test(text[from]) && !/\s/.test(text[at - 1])) return at;
    i = at + 1;
  }
  return -1;
}

function parseRange(text: string, start: number, end: number, depth: number): FormatNode[] {
  const out: FormatNode[] = [];
  let literal = '';
  let i = start;
  while (i < end) {
    if (text[i] === '*' && depth < 4) {
      const isBold = text[i + 1] === '*' && i + 1 < end;
      const marker = isBold ? '**' : '*';
      const close = findClosing(text, i + marker.length, end, marker);
      if (close >= 0) {
        pushText(out, literal);
        literal = '';
        out.push({ kind: isBold ? 'strong' : 'em', children: parseRange(text, i + marker.length, close, depth + 1) });
        i = close + marker.length;
        continue;
      }
      // No partner: a ** may still open an italic that wraps a single *, e.g. "**x*" stays literal.
      literal += marker;
      i += marker.length;
      continue;
    }
    literal += text[i];
    i++;
  }
  pushText(out, literal);
  return out;
}

export interface FormattingRanges {
  bold?: [number, number][];
  italic?: [number, number][];
}

/**
 * Formatting given as ranges (seed §6.2 metadata.formatting): half-open [start, end) offsets in
 * UTF-16 code units of the decoded text. Bad ranges are ignored.
 */
export function applyRanges(text: string, formatting: FormattingRanges): FormatNode[] {
  const bold = new Uint8Array(text.length);
  const italic = new Uint8Array(text.length);
  const mark = (flags: Uint8Array, ranges?: [number, number][]) => {
    for (const r of ranges ?? []) {
      if (!Array.isArray(r) || r.length !== 2) continue;
      const [start, end] = r;
      if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.length || start >= end) continue;
      flags.fill(1, start, end);
    }
  };
  mark(bold, formatting.bold);
  mark(italic, formatting.italic);
  const out: FormatNode[] = [];
  let i = 0;
  while (i < text.length) {
    let j = i + 1;
    while (j < text.length && bold[j] === bold[i] && italic[j] === italic[i]) j++;
    const run: FormatNode[] = [];
    pushText(run, text.slice(i, j));
    let node: FormatNode[] = run;
    if (italic[i]) node = [{ kind: 'em', children: node }];
    if (bold[i]) node = [{ kind: 'strong', children: node }];
    out.push(...node);
    i = j;
  }
  return out;
}

/** A message's content (escaped, with markers, or with formatting ranges) as a format tree. */
export function formatMessage(escaped: string, formatting?: FormattingRanges | null): FormatNode[] {
  const text = decodeEntities(escaped ?? '');
  if (formatting && ((formatting.bold?.length ?? 0) > 0 || (formatting.italic?.length ?? 0) > 0)) return applyRanges(text, formatting);
  return parseMarkdown(text);
}

/**
 * A search snippet: escaped text where the only markup is <mark>…</mark>. Any other tag-like
 * text is shown literally. Markdown markers inside snippets are removed (not searched as text).
 */
export function formatSnippet(snippet: string): FormatNode[] {
  const out: FormatNode[] = [];
  const parts = stripMarkers(snippet ?? '').split(/(<mark>|<\/mark>)/i);
  let inMark = false;
  let markChildren: FormatNode[] = [];
  for (const part of parts) {
    if (/^<mark>$/i.test(part)) {
      inMark = true;
      markChildren = [];
      continue;
    }
    if (/^<\/mark>$/i.test(part)) {
      if (inMark) out.push({ kind: 'mark', children: markChildren });
      inMark = false;
      continue;
    }
    const text = decodeEntities(part);
    pushText(inMark ? markChildren : out, text);
  }
  if (inMark) out.push({ kind: 'mark', children: markChildren });
  return out;
}

/** Text without markdown markers: for previews, notifications and titles. */
export function stripMarkers(text: string): string {
  return text.replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '$1').replace(/\*(?=\S)([^*]*?\S)\*/g, '$1');
}

/** A one-line preview of escaped content. */
export function previewText(escaped: string, max = 120): string {
  const text = stripMarkers(decodeEntities(escaped ?? '')).replace(/\s+/g, ' ').trim();
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Serializes a format tree as HTML (for tests and notifications; the UI renders React nodes). */
export function toHtml(nodes: FormatNode[]): string {
  return nodes.map((node) => {
    switch (node.kind) {
      case 'text':
        return node.text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
      case 'br':
        return '<br>';
      default:
        return `<${node.kind}>${toHtml(node.children)}</${node.kind}>`;
    }
  }).join('');
}

/**
 * Wraps the selection of a textarea value in a marker (toolbar and Ctrl+B / Ctrl+I), or removes
 * it when the selection is already wrapped. Returns the new value and selection.
 */
export function toggleMarker(value: string, start: number, end: number, marker: '**' | '*'):
  { value: string; start: number; end: number } {
  const before = value.slice(0, start);
  const selected = value.slice(start, end);
  const after = value.slice(end);
  const m = marker.length;
  if (before.endsWith(marker) && after.startsWith(marker) && !(marker === '*' && before.endsWith('**') && !after.startsWith('**'))) {
    return { value: before.slice(0, -m) + selected + after.slice(m), start: start - m, end: end - m };
  }
  if (selected.length > 2 * m && selected.startsWith(marker) && selected.endsWith(marker)) {
    const inner = selected.slice(m, -m);
    return { value: before + inner + after, start, end: start + inner.length };
  }
  return { value: before + marker + selected + marker + after, start: start + m, end: end + m };
}
