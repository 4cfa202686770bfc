import { memo, useState, type ReactNode } from 'react';
import { copyText } from '../lib/clipboard';
import { formatMessage, formatSnippet, type FormatNode, type FormattingRanges } from '../lib/format';

/**
 * Renders an `@handle` found in message text (not inside code or links): return the mention
 * element, or null to leave the text as typed. The extension point for mentions
 * (docs/subsystems/formatting.md): e.g. highlight `@bob` when bob is a member, stronger when it is
 * the reader.
 */
export type MentionRenderer = (handle: string, key: string) => ReactNode | null;

// A handle as usernames allow, after a start of text or a non-word character (so e-mail addresses
// such as a@b.com are not mentions).
const MENTION = /(^|[^\w@])@([A-Za-z0-9_][A-Za-z0-9_.-]{0,62}[A-Za-z0-9_]|[A-Za-z0-9_])/g;

function withMentions(text: string, key: string, mention?: MentionRenderer): ReactNode {
  if (!mention || !text.includes('@')) return text;
  const out: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(MENTION)) {
    const at = match.index! + match[1].length;
    const rendered = mention(match[2], `${key}@${at}`);
    if (rendered == null) continue;
    if (at > last) out.push(text.slice(last, at));
    out.push(rendered);
    last = at + 1 + match[2].length;
  }
  if (last === 0) return text;
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function CodeBlock({ text, lang }: { text: string; lang?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="group/code relative my-1 max-w-full" data-testid="code-block">
      <pre className="overflow-x-auto rounded-lg bg-slate-900 px-3 py-2 font-mono text-[13px] leading-snug text-slate-100 whitespace-pre" data-lang={lang}>
        <code>{text}</code>
      </pre>
      <button type="button"
        className="absolute right-1.5 top-1.5 rounded-md bg-slate-700/90 px-1.5 py-0.5 text-[11px] font-medium text-slate-100 opacity-80 hover:opacity-100 focus-visible:opacity-100"
        aria-label="Copy code" title="Copy code"
        onClick={() => {
          void copyText(text).then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          }, () => undefined);
        }}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}

function render(nodes: FormatNode[], key: string, mention?: MentionRenderer): ReactNode[] {
  return nodes.map((node, i) => {
    const k = `${key}${i}`;
    switch (node.kind) {
      case 'text':
        return mention ? <span key={k}>{withMentions(node.text, k, mention)}</span> : node.text;
      case 'br':
        return <br key={k} />;
      case 'strong':
        return <strong key={k} className="font-semibold">{render(node.children, k + '.', mention)}</strong>;
      case 'em':
        return <em key={k}>{render(node.children, k + '.', mention)}</em>;
      case 'del':
        return <del key={k}>{render(node.children, k + '.', mention)}</del>;
      case 'mark':
        return <mark key={k}>{render(node.children, k + '.', mention)}</mark>;
      case 'code':
        return <code key={k} className="rounded bg-slate-900/10 px-1 py-px font-mono text-[0.9em] dark:bg-white/15">{node.text}</code>;
      case 'pre':
        return <CodeBlock key={k} text={node.text} lang={node.lang} />;
      case 'link':
        // href is an absolute http(s)/mailto URL (safeHref); never a mention inside a link.
        return <a key={k} href={node.href} target="_blank" rel="noopener noreferrer" className="underline decoration-1 underline-offset-2 break-all hover:opacity-80">{render(node.children, k + '.')}</a>;
      case 'quote':
        return <blockquote key={k} className="my-1 border-l-4 border-current/30 pl-2 opacity-90">{render(node.children, k + '.', mention)}</blockquote>;
      case 'list': {
        const items = node.items.map((item, j) => <li key={`${k}.${j}`}>{render(item, `${k}.${j}.`, mention)}</li>);
        return node.ordered
          ? <ol key={k} start={node.start} className="my-1 list-decimal pl-5">{items}</ol>
          : <ul key={k} className="my-1 list-disc pl-5">{items}</ul>;
      }
      case 'p':
        return <p key={k} className="my-1 first:mt-0 last:mb-0">{render(node.children, k + '.', mention)}</p>;
    }
  });
}

/**
 * Message content: escaped text with Markdown (docs/subsystems/formatting.md), rendered as React
 * elements from a parse tree, never through innerHTML. `mentions` renders `@handle`s (see
 * MentionRenderer); without it they are plain text.
 */
export const FormattedText = memo(function FormattedText({ content, formatting, mentions }: {
  content: string;
  formatting?: FormattingRanges | null;
  mentions?: MentionRenderer;
}) {
  return <>{render(formatMessage(content, formatting), '', mentions)}</>;
});

/** A search snippet: escaped text with <mark> around matches. */
export const Snippet = memo(function Snippet({ snippet }: { snippet: string }) {
  return <>{render(formatSnippet(snippet), '')}</>;
});
