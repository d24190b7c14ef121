// Loader hooks of record-loads.mjs.
import { appendFileSync } from 'node:fs';

let file = '';

export function initialize(data) {
  file = data;
}

export async function load(url, context, nextLoad) {
  if (file) appendFileSync(file, `${url}\n`);
  return nextLoad(url, context);
}
