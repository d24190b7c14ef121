/** Pagination over the three platforms' styles: Render cursors, Vercel `until` timestamps, Relay connections. */

export interface Page<T> {
  items: T[];
  /** Where the next page starts; undefined on the last page. */
  next?: string;
}

/** Fetches pages until `limit` items or the last page; `maxPages` guards against a cursor that never ends. */
export async function collectPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  limit: number,
  maxPages = 100,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages && items.length < limit; page++) {
    const result = await fetchPage(cursor);
    items.push(...result.items);
    if (result.next === undefined || result.next === cursor || result.items.length === 0) break;
    cursor = result.next;
  }
  return items.slice(0, limit);
}

/** Render lists are `[{cursor, <item>}]`: the last row's cursor fetches the next page; a short page is the last. */
export function readRenderPage<R extends { cursor: string }, T>(
  rows: readonly R[],
  pick: (row: R) => T,
  pageSize: number,
): Page<T> {
  const last = rows.at(-1);
  return { items: rows.map(pick), next: last && rows.length >= pageSize ? last.cursor : undefined };
}

/** Vercel lists carry `pagination.next`, a timestamp to pass as `until`; null on the last page. */
export function readVercelPage<T>(items: T[], pagination: { next?: number | null } | undefined): Page<T> {
  const next = pagination?.next;
  return { items, next: next === null || next === undefined ? undefined : String(next) };
}

export interface Connection<T> {
  edges: { node: T }[];
  pageInfo?: { hasNextPage?: boolean; endCursor?: string | null };
}

/** Relay connections: `edges[].node`, and `pageInfo.endCursor` as `after` while `hasNextPage`. */
export function readConnectionPage<T>(connection: Connection<T>): Page<T> {
  const info = connection.pageInfo;
  return {
    items: connection.edges.map((edge) => edge.node),
    next: info?.hasNextPage && info.endCursor ? info.endCursor : undefined,
  };
}
