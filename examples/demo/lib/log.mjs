/** Structured logs: one JSON object per line on stdout, for log collectors and opsbook's log signals alike. */

export function createLogger(service) {
  const version = process.env.APP_VERSION || 'dev';
  const write = (level, msg, fields) => {
    const entry = {
      time: new Date().toISOString(),
      level,
      service,
      version,
      pid: process.pid,
      msg,
      ...fields,
    };
    process.stdout.write(`${JSON.stringify(entry)}\n`);
  };
  return {
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}
