/**
 * Migration files are read as bytes and refused unless they are what they seem: UTF-8 text of a sane size. A NUL byte
 * silently ends the parser's input (the rest of the file would be recorded as applied without running), invalid UTF-8
 * turns into replacement characters, and a UTF-16 file is not SQL the server would read the same way.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Diagnostic } from '../diagnostics/index.js';

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

export type FileText = { ok: true; text: string } | { ok: false; diagnostic: Diagnostic };

/** Reads `path` unless it is larger than `maxBytes` (checked before anything is read) or not clean UTF-8. */
export async function readMigrationText(
  path: string,
  display: string,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): Promise<FileText> {
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (size > maxBytes) return tooLarge(display, size, maxBytes);
      return decodeMigrationText(await handle.readFile(), display);
    } finally {
      await handle.close();
    }
  } catch (error) {
    return unreadable(display, error);
  }
}

/** Reused by every synchronous read on this thread (each worker has its own): most migrations fit in one read. */
let scratch: Buffer | undefined;
const SCRATCH_BYTES = 64 * 1024;

/**
 * The same, synchronously: the linter reads thousands of small files on threads that have nothing else to do, and the
 * promise API's open/stat/read/close round trips through the thread pool cost more than reading the bytes. A file
 * shorter than the scratch buffer is read in one call, its size known from the read (three system calls, not five);
 * a longer one is measured before the rest of it is read.
 */
export function readMigrationTextSync(
  path: string,
  display: string,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): FileText {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return unreadable(display, error);
  }
  try {
    scratch ??= Buffer.allocUnsafeSlow(SCRATCH_BYTES);
    const read = readSync(fd, scratch, 0, SCRATCH_BYTES, 0);
    if (read < SCRATCH_BYTES) {
      if (read > maxBytes) return tooLarge(display, read, maxBytes);
      return decodeMigrationText(scratch.subarray(0, read), display);
    }
    const { size } = fstatSync(fd);
    if (size > maxBytes) return tooLarge(display, size, maxBytes);
    // The positioned read above left the file position at the start.
    return decodeMigrationText(readFileSync(fd), display);
  } catch (error) {
    return unreadable(display, error);
  } finally {
    closeSync(fd);
  }
}

/**
 * A name that looks like a migration but cannot be read (a folder named `002_x.sql`, a dangling symlink, no
 * permission) is refused as an error: skipping it would leave a migration out unnoticed, and crashing says nothing.
 */
function unreadable(display: string, error: unknown): FileText {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === 'EISDIR'
      ? 'it is a directory'
      : code === 'ENOENT'
        ? 'it does not exist (a dangling symlink?)'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : `${code ?? (error as Error)?.message ?? error}`;
  return refuse(
    display,
    'migration/unreadable-file',
    `${display} cannot be read: ${why}`,
    'make it a readable SQL file, or move it out of the migrations folder',
  );
}

function tooLarge(display: string, size: number, maxBytes: number): FileText {
  return refuse(
    display,
    'migration/file-too-large',
    `${display} is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit for a migration file`,
    'split the file, load bulk data with COPY from a separate script, or raise migrations.maxFileSize in opsbook.yaml',
  );
}

/**
 * The text without a UTF-8 byte order mark (Windows editors write one): it is no SQL, and left in, the server and the
 * parser read it as part of the first word. Engines' files keep it where their own checksum covers it (Prisma's).
 */
export const withoutBom = (text: string): string => text.replace(/^\uFEFF/, '');

export function decodeMigrationText(bytes: Buffer, display: string): FileText {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return refuse(
      display,
      'migration/bad-encoding',
      `${display} starts with a UTF-16 byte order mark: it is UTF-16 text, not UTF-8`,
      'save the file as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)',
      { line: 1, column: 1 },
    );
  }
  const nul = bytes.indexOf(0);
  const invalid = isUtf8(bytes) ? -1 : firstInvalidUtf8(bytes);
  if (nul === -1 && invalid === -1) return { ok: true, text: bytes.toString('utf8') };
  const at = nul !== -1 && (invalid === -1 || nul < invalid) ? nul : invalid;
  const where = positionOf(bytes, at);
  return at === nul
    ? refuse(
        display,
        'migration/bad-encoding',
        `${display} contains a NUL byte at line ${where.line}, column ${where.column} (byte ${at}); PostgreSQL would ignore everything after it`,
        'remove the NUL byte; if the file was saved as UTF-16 or binary, save it as UTF-8 text',
        where,
      )
    : refuse(
        display,
        'migration/bad-encoding',
        `${display} is not valid UTF-8 at line ${where.line}, column ${where.column} (byte ${at}: 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')})`,
        'save the file as UTF-8 (it looks like Latin-1 or another legacy encoding)',
        where,
      );
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] ?? 0;
    const size =
      b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (size === 0 || i + size > bytes.length) return i;
    for (let k = 1; k < size; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    // Overlong 3/4-byte forms, surrogates and code points past U+10FFFF.
    const second = bytes[i + 1] ?? 0;
    if ((b === 0xe0 && second < 0xa0) || (b === 0xed && second >= 0xa0)) return i;
    if ((b === 0xf0 && second < 0x90) || (b === 0xf4 && second >= 0x90)) return i;
    i += size;
  }
  return -1;
}

/** 1-based line and character column of a byte offset, counting only the valid text before it. */
function positionOf(bytes: Buffer, offset: number): { line: number; column: number } {
  const before = bytes.subarray(0, offset).toString('utf8');
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: [...before.slice(lineStart)].length + 1 };
}

function refuse(
  file: string,
  code: string,
  message: string,
  hint: string,
  where?: { line: number; column: number },
): FileText {
  return { ok: false, diagnostic: { severity: 'error', code, message, hint, location: { file, ...where } } };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/** `10MiB`, `512 KiB`, `2MB` or a plain number of bytes. */
export function parseBytes(text: string | number): number | undefined {
  if (typeof text === 'number') return text;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB|KB|MB|GB)?\s*$/i.exec(text);
  if (!m) return undefined;
  const unit = (m[2] ?? 'B').toLowerCase();
  const factor: Record<string, number> = {
    b: 1,
    kib: 1024,
    mib: 1024 ** 2,
    gib: 1024 ** 3,
    kb: 1000,
    mb: 1000 ** 2,
    gb: 1000 ** 3,
  };
  return Math.floor(Number(m[1]) * (factor[unit] ?? 1));
}
