/** The incident history as an Atom feed: one entry per public update, newest first. */
import { esc as escHtml } from './html.js';
import type { PublicIncident } from './incidents.js';

// XML 1.0 has no way to write these (not even as references): one in an incident title made the whole feed
// ill-formed, and feed readers drop such a feed. Tab, newline and carriage return stay.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const esc = (text: string) => escHtml(text.replace(NOT_XML, ''));

export function renderAtom(
  title: string,
  baseUrl: string,
  incidents: PublicIncident[],
  updatedAt: string,
): string {
  const entries = incidents
    .flatMap((i) => i.updates.map((u) => ({ i, u })))
    .sort((a, b) => b.u.at.localeCompare(a.u.at))
    .slice(0, 100);
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>${esc(title)}</title>
<author><name>${esc(title)}</name></author>
<id>${esc(`${baseUrl}/status`)}</id>
<link rel="alternate" href="${esc(`${baseUrl}/status`)}"/>
<link rel="self" href="${esc(`${baseUrl}/status/feed.atom`)}"/>
<updated>${esc(entries[0]?.u.at ?? updatedAt)}</updated>
${entries
  .map(
    ({ i, u }) => `<entry>
<id>${esc(`${baseUrl}/status#incident-${i.id}-${u.at}`)}</id>
<title>${esc(`${i.title}: ${u.status}`)}</title>
<updated>${esc(u.at)}</updated>
<link href="${esc(`${baseUrl}/status`)}"/>
<content type="text">${esc(u.message)}</content>
</entry>`,
  )
  .join('\n')}
</feed>
`;
}
