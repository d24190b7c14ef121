import { describe, expect, it } from 'vitest';
import { parseLogLine } from './parse.js';

describe('parseLogLine', () => {
  it('reads level, time and message from JSON logs (pino numbers, words, nested log.level)', () => {
    expect(parseLogLine('{"level":50,"time":1767225600000,"msg":"db down"}')).toEqual({
      level: 'error',
      at: '2026-01-01T00:00:00.000Z',
      message: 'db down',
    });
    expect(parseLogLine('{"severity":"WARNING","message":"slow query"}')).toMatchObject({
      level: 'warn',
      message: 'slow query',
    });
    expect(parseLogLine('{"log":{"level":"fatal"},"message":"oom"}').level).toBe('fatal');
  });

  it('reads the common text shapes and a Heroku line with its timestamp and dyno', () => {
    expect(parseLogLine('[ERROR] connection refused').level).toBe('error');
    expect(parseLogLine('WARN  pool exhausted').level).toBe('warn');
    expect(parseLogLine('Error: ECONNREFUSED 127.0.0.1:5432').level).toBe('error');
    expect(parseLogLine('time=2026-01-01 level=debug msg=tick').level).toBe('debug');
    expect(parseLogLine('2026-01-01T10:00:00.123456+00:00 app[web.1]: ERROR: relation missing')).toEqual({
      level: 'error',
      at: '2026-01-01T10:00:00.123Z',
      message: 'ERROR: relation missing',
    });
  });

  it('gives no level to a line that does not say one', () => {
    expect(parseLogLine('GET /api/notes 200 12ms').level).toBeUndefined();
    expect(parseLogLine('Errors are counted below').level).toBeUndefined();
  });

  it('keeps the line when its numeric time is out of range, with no time read from it', () => {
    // 1e16 ms is past the last date a Date can hold: reading it threw and killed `opsbook logs`.
    expect(parseLogLine('{"time":1e16,"msg":"boom"}')).toEqual({ message: 'boom' });
    expect(parseLogLine('{"ts":-1e300,"level":"info","msg":"x"}')).toEqual({ level: 'info', message: 'x' });
  });
});
