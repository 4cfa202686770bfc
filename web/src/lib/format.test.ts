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
    expect(html('* spaced *')).toBe('* spaced *');
  });

  it('does not let markers span line breaks', () => {
    expect(html('**one\ntwo**')).toBe('**one<br>two**');
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

describe('formatting never produces markup from content (XSS)', () => {
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
      for (const tag of tags) expect(['<strong', '</strong', '<em', '</em', '<br']).toContain(tag);
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
