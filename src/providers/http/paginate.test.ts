import { describe, expect, it } from 'vitest';
import { collectPages, readConnectionPage, readRenderPage, readVercelPage } from './paginate.js';

describe('collectPages', () => {
  it('follows next cursors until the limit, asking for no page it does not need', async () => {
    const asked: (string | undefined)[] = [];
    const items = await collectPages(async (cursor) => {
      asked.push(cursor);
      const start = Number(cursor ?? 0);
      return { items: [start, start + 1, start + 2], next: String(start + 3) };
    }, 7);
    expect(items).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(asked).toEqual([undefined, '3', '6']);
  });

  it('stops on the last page, on an empty page, and on a cursor that does not move', async () => {
    expect(await collectPages(async () => ({ items: [1] }), 10)).toEqual([1]);
    expect(await collectPages(async (c) => ({ items: c ? [] : [1], next: 'x' }), 10)).toEqual([1]);
    let calls = 0;
    await collectPages(async () => ({ items: [++calls], next: 'same' }), 100);
    expect(calls).toBe(2);
  });
});

describe('page readers', () => {
  it('Render: the last row cursor, only when the page is full', () => {
    const rows = [
      { cursor: 'c1', deploy: 'a' },
      { cursor: 'c2', deploy: 'b' },
    ];
    expect(readRenderPage(rows, (r) => r.deploy, 2)).toEqual({ items: ['a', 'b'], next: 'c2' });
    expect(readRenderPage(rows, (r) => r.deploy, 3).next).toBeUndefined();
  });

  it('Vercel: pagination.next as the until timestamp; null ends', () => {
    expect(readVercelPage(['a'], { next: 1_700_000_000_000 })).toEqual({
      items: ['a'],
      next: '1700000000000',
    });
    expect(readVercelPage(['a'], { next: null }).next).toBeUndefined();
  });

  it('Relay: endCursor while hasNextPage', () => {
    const edges = [{ node: 'a' }];
    expect(readConnectionPage({ edges, pageInfo: { hasNextPage: true, endCursor: 'e1' } }).next).toBe('e1');
    expect(
      readConnectionPage({ edges, pageInfo: { hasNextPage: false, endCursor: 'e1' } }).next,
    ).toBeUndefined();
  });
});
