/** The thread that owns a threaded SQLite store's connection (see sqlite-thread.ts): opens, migrates, then answers. */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteDriver } from './sqlite-driver.js';
import { migrateSqlite } from './sqlite-migrations.js';
import {
  OPENED,
  type SqliteThreadData,
  type ThreadReply,
  type ThreadRequest,
  toThreadError,
} from './sqlite-thread-protocol.js';

const port = parentPort;
if (!port) throw new Error('sqlite-worker.ts runs as a worker thread');
const { path, options } = workerData as SqliteThreadData;
const driver = openSqliteDriver(path, options);
const reply = (message: ThreadReply) => port.postMessage(message);

try {
  await migrateSqlite(driver);
  reply({ id: OPENED });
} catch (error) {
  driver.close();
  reply({ id: OPENED, error: toThreadError(error) });
}

port.on('message', async (request: ThreadRequest) => {
  try {
    if (request.op === 'all') reply({ id: request.id, rows: await driver.all(request.sql, request.params) });
    else if (request.op === 'batch')
      reply({
        id: request.id,
        rows: await driver.transaction((tx) => request.statements.map((s) => tx.all(s.sql, s.params))),
      });
    else {
      driver.close();
      reply({ id: request.id });
    }
  } catch (error) {
    reply({ id: request.id, error: toThreadError(error) });
  }
});
