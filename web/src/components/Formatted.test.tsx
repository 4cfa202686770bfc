import { describe, expect, it } from 'vitest';
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { FormattedText } from './Formatted';

// Renders into a real (jsdom) DOM through React, as the app does, and inspects the elements.
function mount(content: string, mentions?: Parameters<typeof FormattedText>[0]['mentions']): HTMLElement {
  const host = document.createElement('div');
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  act(() => createRoot(host).render(<FormattedText content={content} mentions={mentions} />));
  return host;
}

const XSS = [
  '<script>alert(1)</script>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<img src=x onerror=alert(1)>',
  '&lt;img src=x onerror=alert(1)&gt;',
  '[x](javascript:alert(1))',
  '[x](javascript&#58;alert(1))',
  '[<img src=x onerror=alert(1)>](https://ok.example)',
  '**[a](javascript:alert(1))**',
  '&gt; [b](data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;)',
  '- <iframe src="javascript:alert(1)"></iframe>',
  '```\n</code></pre><script>alert(1)</script>\n```',
  '`<svg/onload=alert(1)>`',
  '<a href="javascript:alert(1)">x</a>',
  'https://ok.example/"><script>alert(1)</script>',
];

describe('FormattedText in the DOM', () => {
  for (const attack of XSS) {
    it(`renders ${JSON.stringify(attack)} without active content`, () => {
      const host = mount(attack);
      expect(host.querySelectorAll('script, img, iframe, svg, object, embed, style').length).toBe(0);
      for (const el of host.querySelectorAll('*')) {
        for (const attr of el.attributes) expect(attr.name).not.toMatch(/^on/i);
      }
      for (const a of host.querySelectorAll('a')) expect(a.href).toMatch(/^(https?|mailto):/);
    });
  }

  it('opens links in a new tab without an opener or referrer', () => {
    const a = mount('go to https://example.com and [docs](https://example.com/docs)').querySelectorAll('a');
    expect(a.length).toBe(2);
    for (const link of a) {
      expect(link.target).toBe('_blank');
      expect(link.rel).toBe('noopener noreferrer');
    }
    expect(a[1].textContent).toBe('docs');
  });

  it('renders a code block in monospace with a copy button, formatting kept literal', () => {
    const host = mount('```\n**not bold** <b>x</b>\n```');
    expect(host.querySelector('pre code')?.textContent).toBe('**not bold** <b>x</b>');
    expect(host.querySelector('strong')).toBeNull();
    expect(host.querySelector('button[aria-label="Copy code"]')).not.toBeNull();
  });

  it('offers mentions to the renderer outside code and links only', () => {
    const seen: string[] = [];
    const host = mount('hi @bob and `@carol` and a@b.com [@dave](https://x.example)', (handle, key) => {
      seen.push(handle);
      return <span key={key} className="mention">@{handle}</span>;
    });
    expect(seen).toEqual(['bob']);
    expect(host.querySelector('.mention')?.textContent).toBe('@bob');
    expect(host.textContent).toContain('hi @bob and @carol and a@b.com @dave');
  });
});
