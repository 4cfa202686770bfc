import { memo, type ReactNode } from 'react';
import { formatMessage, formatSnippet, type FormatNode, type FormattingRanges } from '../lib/format';

function render(nodes: FormatNode[], key = ''): ReactNode[] {
  return nodes.map((node, i) => {
    const k = `${key}${i}`;
    switch (node.kind) {
      case 'text':
        return node.text;
      case 'br':
        return <br key={k} />;
      case 'strong':
        return <strong key={k} className="font-semibold">{render(node.children, k + '.')}</strong>;
      case 'em':
        return <em key={k}>{render(node.children, k + '.')}</em>;
      case 'mark':
        return <mark key={k}>{render(node.children, k + '.')}</mark>;
    }
  });
}

/** Message content: escaped text with **bold** / *italic* markers, rendered without innerHTML. */
export const FormattedText = memo(function FormattedText({ content, formatting }: { content: string; formatting?: FormattingRanges | null }) {
  return <>{render(formatMessage(content, formatting))}</>;
});

/** A search snippet: escaped text with <mark> around matches. */
export const Snippet = memo(function Snippet({ snippet }: { snippet: string }) {
  return <>{render(formatSnippet(snippet))}</>;
});
