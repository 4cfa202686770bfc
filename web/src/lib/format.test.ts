import { describe, expect, it } from 'vitest';
import { decodeEntities, formatMessage, formatSnippet, previewText, stripMarkers, toHtml, toggleMarker } from './format';

const html = (escaped: string) => toHtml(formatMessage(escaped));

describe('message formatting', () => {
  it('renders bold and italic markers', () => {
    expect(html('Hello **world** and *you*')).toBe('Hello <strong>world</strong> and <em>you</em>');
  });

  it('nests italic inside bold', () => {
    expect(html('**bold *and italic* too**')).toBe('<strong>bold <em>and italic</em> too</strong>');
  });

  it('leaves unmatched or empty markers as text', () => {
    expect(html('2 * 3 = 6')).toBe('2 * 3 = 6');
    expect(html('**not closed')).toBe('**not closed');
    expect(html('****')).toBe('****');
    expect(html('a * spaced *')).toBe('a * spaced *');
  });

  it('follows CommonMark: emphasis may span a line break inside a paragraph, not a blank line', () => {
    expect(html('**one\ntwo**')).toBe('<strong>one<br>two</strong>');
    expect(html('**one\n\ntwo**')).toBe('<p>**one</p><p>two**</p>');
  });

  it('applies formatting ranges (seed metadata.formatting) on the decoded text', () => {
    expect(toHtml(formatMessage('Hello everyone!', { bold: [[0, 5]], italic: [[6, 14]] }))).toBe('<strong>Hello</strong> <em>everyone</em>!');
    expect(toHtml(formatMessage('a &lt;b&gt; c', { bold: [[2, 5]] }))).toBe('a <strong>&lt;b&gt;</strong> c');
    expect(toHtml(formatMessage('abc', { bold: [[0, 2]], italic: [[1, 3]] }))).toBe('<strong>a</strong><strong><em>b</em></strong><em>c</em>');
    expect(toHtml(formatMessage('abc', { bold: [[2, 9], [-1, 1], [1, 1]] as [number, number][] }))).toBe('abc');
  });

  it('keeps line breaks', () => {
    expect(html('one\ntwo')).toBe('one<br>two');
  });

  it('decodes one level of entities from the server and shows them as text', () => {
    expect(html('Tom &amp; Jerry &lt;3')).toBe('Tom &amp; Jerry &lt;3');
    expect(decodeEntities('&lt;b&gt; &#39;x&#39; &#x2F; &quot;')).toBe('<b> \'x\' / "');
  });

  it('a literal entity typed by a user stays literal (decoded exactly once)', () => {
    expect(decodeEntities('&amp;lt;')).toBe('&lt;');
    expect(html('&amp;lt;')).toBe('&amp;lt;');
  });
});

describe('links, code, strikethrough, quotes and lists', () => {
  it('autolinks http(s) URLs and renders [text](url)', () => {
    expect(html('see https://example.com/a?b=1&amp;c=2 now')).toBe('see <a href="https://example.com/a?b=1&amp;c=2">https://example.com/a?b=1&amp;c=2</a> now');
    expect(html('[the docs](https://example.com/docs)')).toBe('<a href="https://example.com/docs">the docs</a>');
    expect(html('[mail me](mailto:a@example.com)')).toBe('<a href="mailto:a@example.com">mail me</a>');
  });

  it('renders inline code and fenced code blocks without formatting inside', () => {
    expect(html('run `npm **ci**` first')).toBe('run <code>npm **ci**</code> first');
    expect(html('```js\nconst a = **1**;\n<b>x</b>\n```')).toBe('<pre>const a = **1**;\n&lt;b&gt;x&lt;/b&gt;</pre>');
  });

  it('renders ~~strikethrough~~, block quotes and bulleted lists', () => {
    expect(html('~~old~~ new')).toBe('<del>old</del> new');
    expect(html('&gt; quoted *text*\n\nreply')).toBe('<blockquote><p>quoted <em>text</em></p></blockquote><p>reply</p>');
    expect(html('- one\n- **two**')).toBe('<ul><li>one</li><li><strong>two</strong></li></ul>');
  });

  it('leaves headings, rules, tables, images and reference links as typed', () => {
    expect(html('# not a heading')).toBe('# not a heading');
    expect(html('![alt](https://example.com/x.png)')).toBe('![alt](https://example.com/x.png)');
    expect(html('[ref]\n\n[ref]: https://example.com')).toBe('<p>[ref]</p><p>[ref]: <a href="https://example.com/">https://example.com</a></p>');
  });

  it('gives plain text for previews', () => {
    expect(previewText('&gt; **Hi** `x` [docs](https://e.com)\n- a\n- b')).toBe('Hi x docs a b');
  });
});

describe('formatting never produces markup from content (XSS)', () => {
  const linkAttacks = [
    '[click](javascript:alert(1))',
    '[click](JaVaScRiPt:alert(1))',
    '[click]( javascript:alert(1))',
    '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[click](vbscript:msgbox(1))',
    '[click](&amp;#106;avascript:alert(1))',
    '&lt;javascript:alert(1)&gt;',
    '[x](//evil.example/)',
    '[**x**](file:///etc/passwd)',
  ];
  for (const attack of linkAttacks) {
    it(`makes no link from ${JSON.stringify(attack)}`, () => {
      expect(html(attack)).not.toMatch(/<a /);
    });
  }

  it('never produces an href other than http, https or mailto', () => {
    const nodes = formatMessage('[a](https://ok.example) <https://ok2.example> www.ok3.example [b](ftp://x) [c](javascript:x)');
    const hrefs = JSON.stringify(nodes).match(/"href":"[^"]*"/g) ?? [];
    expect(hrefs).toEqual(['"href":"https://ok.example/"', '"href":"https://ok2.example/"', '"href":"http://www.ok3.example/"']);
  });

  it('keeps HTML inside code, quotes and lists as text', () => {
    const out = html('&gt; <img src=x onerror=alert(1)>\n\n- <script>alert(1)</script>\n\n`<svg onload=alert(1)>`');
    expect(out).not.toMatch(/<img|<script|<svg/i);
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('survives pathological nesting (shown as text, never an exception)', () => {
    const out = html('&gt;'.repeat(3000) + ' deep ' + '['.repeat(2000) + '*'.repeat(3000));
    expect(out).toContain('deep');
    expect(html('- '.repeat(500) + 'x')).toContain('x');
  });

  const attacks = [
    '&lt;script&gt;alert(1)&lt;/script&gt;',
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '&lt;img src=x onerror=alert(1)&gt;',
    '**<svg onload=alert(1)>**',
    '*<a href="javascript:alert(1)">x</a>*',
    '&#60;iframe src=javascript:alert(1)&#62;',
    '"><script>alert(document.cookie)</script>',
  ];
  for (const attack of attacks) {
    it(`keeps ${JSON.stringify(attack)} as text`, () => {
      const out = html(attack);
      // The only tags in the output are the ones the renderer makes.
      const tags = out.match(/<\/?([a-z]+)/g) ?? [];
      for (const tag of tags) expect(['<strong', '</strong', '<em', '</em', '<br', '<p', '</p']).toContain(tag);
      expect(out).not.toMatch(/<script|<img|<svg|<iframe|<a /i);
    });
  }

  it('only text nodes carry user content', () => {
    const nodes = formatMessage('<b onclick="x()">hi</b> **there**');
    const kinds = JSON.stringify(nodes).match(/"kind":"(\w+)"/g);
    expect(new Set(kinds)).toEqual(new Set(['"kind":"text"', '"kind":"strong"']));
  });
});

describe('search snippets', () => {
  it('renders <mark> and nothing else', () => {
    expect(toHtml(formatSnippet('the &lt;b&gt;<mark>project</mark> plan'))).toBe('the &lt;b&gt;<mark>project</mark> plan');
  });

  it('shows other tags literally', () => {
    const out = toHtml(formatSnippet('<script>x</script><mark>hit</mark><img src=x>'));
    expect(out).toBe('&lt;script&gt;x&lt;/script&gt;<mark>hit</mark>&lt;img src=x&gt;');
  });

  it('drops markdown markers from snippets', () => {
    expect(toHtml(formatSnippet('a **<mark>bold</mark>** word'))).toBe('a <mark>bold</mark> word');
  });

  it('closes an unclosed mark', () => {
    expect(toHtml(formatSnippet('<mark>open'))).toBe('<mark>open</mark>');
  });
});

describe('previews and the toolbar', () => {
  it('strips markers and entities for previews', () => {
    expect(previewText('**Hi** *there* &amp; more')).toBe('Hi there & more');
    expect(stripMarkers('a*b')).toBe('a*b');
  });

  it('truncates long previews', () => {
    expect(previewText('x'.repeat(200), 10)).toBe('xxxxxxxxx…');
  });

  it('wraps the selection in a marker and unwraps it again', () => {
    const wrapped = toggleMarker('say hello now', 4, 9, '**');
    expect(wrapped).toEqual({ value: 'say **hello** now', start: 6, end: 11 });
    const unwrapped = toggleMarker(wrapped.value, wrapped.start, wrapped.end, '**');
    expect(unwrapped).toEqual({ value: 'say hello now', start: 4, end: 9 });
  });

  it('inserts an empty pair at the caret', () => {
    expect(toggleMarker('ab', 1, 1, '*')).toEqual({ value: 'a**b', start: 2, end: 2 });
  });

  it('unwraps a selection that includes its markers', () => {
    expect(toggleMarker('*x*', 0, 3, '*')).toEqual({ value: 'x', start: 0, end: 1 });
  });
});
