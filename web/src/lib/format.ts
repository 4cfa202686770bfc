// Message text arrives HTML-escaped (entities) and carries Markdown (docs/subsystems/formatting.md);
// search snippets are escaped text with <mark> around matches. We never hand either string to
// innerHTML: we decode one level of entities into plain text, parse it with marked's lexer (tokens
// only: marked's HTML renderer is never used) and build a small tree of known element kinds. React
// renders text nodes escaped, so nothing a sender writes can become markup, and a link is made
// only for an http, https or mailto URL.

import { Lexer, Tokenizer, type Token, type Tokens } from 'marked';

export type FormatNode =
  | { kind: 'text'; text: string }
  | { kind: 'br' }
  | { kind: 'code'; text: string }
  | { kind: 'pre'; text: string; lang?: string }
  | { kind: 'link'; href: string; children: FormatNode[] }
  | { kind: 'list'; ordered: boolean; start?: number; items: FormatNode[][] }
  | { kind: 'strong' | 'em' | 'mark' | 'del' | 'quote' | 'p'; children: FormatNode[] };

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

/** Protocols a link may use; anything else (javascript:, data:, vbscript:, file:…) stays text. */
const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The URL to link to, or null when it is not an absolute http(s) or mailto URL. */
export function safeHref(href: string): string | null {
  try {
    const url = new URL(href.trim());
    if (!SAFE_PROTOCOLS.has(url.protocol)) return null;
    return url.href;
  } catch {
    return null;
  }
}

/**
 * marked's tokenizer with the constructs we do not offer switched off, so they stay plain text:
 * headings (a line starting with # is just a line), indented code, rules, tables, raw HTML (block
 * and inline), link reference definitions and reference links, which would make text vanish.
 */
function chatTokenizer(): Tokenizer {
  const tokenizer = new Tokenizer();
  const off = () => undefined;
  tokenizer.heading = off;
  tokenizer.lheading = off;
  tokenizer.code = off;
  tokenizer.hr = off;
  tokenizer.table = off;
  tokenizer.html = off;
  tokenizer.tag = off;
  tokenizer.def = off;
  tokenizer.reflink = off;
  return tokenizer;
}

/** Deeper nesting (quotes in quotes in lists…) is shown as text: no message needs it, and it bounds the work. */
const MAX_DEPTH = 6;

function lex(text: string): Token[] {
  // gfm: ~~strike~~ and bare URLs; breaks: a line break is a line break, as people type in a chat.
  return new Lexer({ gfm: true, breaks: true, tokenizer: chatTokenizer() }).lex(text);
}

function inline(tokens: Token[] | undefined, depth: number): FormatNode[] {
  const out: FormatNode[] = [];
  for (const token of tokens ?? []) {
    switch (token.type) {
      case 'text': {
        const t = token as Tokens.Text;
        if (t.tokens && t.tokens.length) out.push(...inline(t.tokens, depth));
        else pushText(out, t.raw);
        break;
      }
      case 'escape':
        pushText(out, (token as Tokens.Escape).text);
        break;
      case 'br':
        out.push({ kind: 'br' });
        break;
      case 'codespan':
        out.push({ kind: 'code', text: (token as Tokens.Codespan).text });
        break;
      case 'strong':
      case 'em':
      case 'del': {
        const t = token as Tokens.Strong | Tokens.Em | Tokens.Del;
        if (depth >= MAX_DEPTH) pushText(out, t.raw);
        else out.push({ kind: token.type === 'del' ? 'del' : token.type, children: inline(t.tokens, depth + 1) });
        break;
      }
      case 'link': {
        const t = token as Tokens.Link;
        const href = safeHref(t.href);
        if (href && depth < MAX_DEPTH) out.push({ kind: 'link', href, children: inline(t.tokens, depth + 1) });
        else pushText(out, t.raw);
        break;
      }
      default:
        // image, html and anything unknown: exactly what was typed.
        pushText(out, token.raw);
    }
  }
  return out;
}

function blocks(tokens: Token[] | undefined, depth: number): FormatNode[] {
  const out: FormatNode[] = [];
  for (const token of tokens ?? []) {
    switch (token.type) {
      case 'space':
        break;
      case 'paragraph':
        out.push({ kind: 'p', children: inline((token as Tokens.Paragraph).tokens, depth) });
        break;
      case 'text': {
        const t = token as Tokens.Text;
        out.push(...(t.tokens ? inline(t.tokens, depth) : textNodes(t.raw)));
        break;
      }
      case 'code':
        out.push({ kind: 'pre', text: (token as Tokens.Code).text, lang: (token as Tokens.Code).lang || undefined });
        break;
      case 'blockquote':
        if (depth >= MAX_DEPTH) out.push({ kind: 'p', children: textNodes(token.raw) });
        else out.push({ kind: 'quote', children: blocks((token as Tokens.Blockquote).tokens, depth + 1) });
        break;
      case 'list': {
        const t = token as Tokens.List;
        if (depth >= MAX_DEPTH) out.push({ kind: 'p', children: textNodes(t.raw) });
        else out.push({
          kind: 'list', ordered: t.ordered, start: t.ordered && typeof t.start === 'number' ? t.start : undefined,
          items: t.items.map((item) => blocks(item.tokens, depth + 1)),
        });
        break;
      }
      default:
        out.push({ kind: 'p', children: textNodes(token.raw) });
    }
  }
  return out;
}

function textNodes(text: string): FormatNode[] {
  const out: FormatNode[] = [];
  pushText(out, text.replace(/\n+$/, ''));
  return out;
}

/**
 * Parses Markdown over plain text (entities already decoded) into the format tree. A message that
 * is one paragraph gives its inline nodes directly (no paragraph wrapper).
 */
export function parseMarkdown(text: string): FormatNode[] {
  let nodes: FormatNode[];
  try {
    nodes = blocks(lex(text), 0);
  } catch {
    // The lexer recurses per nesting level: thousands of nested quotes exhaust the stack. Such a
    // message is shown exactly as typed.
    return textNodes(text);
  }
  if (nodes.length === 1 && nodes[0].kind === 'p') return nodes[0].children;
  return nodes;
}

/** The text a format tree shows, without any markup: previews, notifications, titles. */
export function nodesText(nodes: FormatNode[]): string {
  return nodes.map((node) => {
    switch (node.kind) {
      case 'text':
      case 'code':
      case 'pre':
        return node.text + (node.kind === 'pre' ? ' ' : '');
      case 'br':
        return ' ';
      case 'list':
        return node.items.map((item) => nodesText(item)).join(' ') + ' ';
      case 'p':
      case 'quote':
        return nodesText(node.children) + ' ';
      default:
        return nodesText(node.children);
    }
  }).join('');
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

/**
 * Text without the common Markdown markers, for search snippets (which are fragments, so not
 * parsed): **bold**, *italic*, ~~strike~~, `code`, [text](url) → text, and > or - at a line start.
 */
export function stripMarkers(text: string): string {
  return text
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '$1')
    .replace(/\*(?=\S)([^*]*?\S)\*/g, '$1')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '$1')
    .replace(/`{3}[a-z0-9-]*\n?/gi, '')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/\[([^\]\n]+)\]\((?:[^)\s]+)\)/g, '$1')
    .replace(/^(?:\s*(?:&gt;|>)\s?)+/gm, '')
    .replace(/^\s*[-*+]\s+/gm, '');
}

/** A one-line preview of escaped content: the Markdown parsed and only its text kept. */
export function previewText(escaped: string, max = 120): string {
  const decoded = decodeEntities(escaped ?? '');
  const text = (decoded.length > 4 * max ? stripMarkers(decoded.slice(0, 4 * max)) : nodesText(parseMarkdown(decoded)))
    .replace(/\s+/g, ' ').trim();
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
      case 'code':
        return `<code>${toHtml([{ kind: 'text', text: node.text }])}</code>`;
      case 'pre':
        return `<pre>${toHtml([{ kind: 'text', text: node.text }])}</pre>`;
      case 'link':
        return `<a href="${node.href.replace(/[&<>"']/g, (c) => ESCAPES[c])}">${toHtml(node.children)}</a>`;
      case 'list': {
        const tag = node.ordered ? 'ol' : 'ul';
        return `<${tag}>${node.items.map((item) => `<li>${toHtml(item)}</li>`).join('')}</${tag}>`;
      }
      case 'quote':
        return `<blockquote>${toHtml(node.children)}</blockquote>`;
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
