// Preloaded with `node --import`: records the URL of every module the ESM loader loads, one a line, into the file
// OPSBOOK_RECORD_LOADS names (the hooks run on the loader's own thread, so they write rather than collect).
import { register } from 'node:module';

register('./record-loads-hooks.mjs', import.meta.url, { data: process.env.OPSBOOK_RECORD_LOADS });
