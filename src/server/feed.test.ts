import { describe, expect, it } from 'vitest';
import { renderAtom } from './feed.js';

describe('renderAtom', () => {
  it('stays well-formed XML when an incident title or update holds control characters', () => {
    const at = '2026-12-07T10:00:00.000Z';
    const xml = renderAtom(
      'Shop \u0007status',
      'http://127.0.0.1:8080',
      [
        {
          id: 'i1',
          number: 1,
          title: 'API \u001b[31mdown\u001b[0m & <slow>',
          status: 'investigating',
          components: ['API'],
          startedAt: at,
          resolvedAt: null,
          updates: [{ at, status: 'investigating', message: 'looking\u0000 into it\u000b\nline two\ttab' }],
        },
      ],
      at,
    );
    // XML 1.0 allows tab, newline and carriage return below U+0020, nothing else: one such byte breaks the whole feed.
    expect([...xml].filter((c) => c < ' ' && !'\t\n\r'.includes(c))).toEqual([]);
    expect(xml).toContain('<title>API [31mdown[0m &amp; &lt;slow&gt;: investigating</title>');
    expect(xml).toContain('<content type="text">looking into it\nline two\ttab</content>');
  });
});
