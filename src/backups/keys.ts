/** Object keys in a destination: `<entry>/<stamp>.dump` (or `.tar` for directory format) and its `<stamp>.manifest.json` and `<stamp>.verify.json`. */

/** `20261204T170512.123Z`: sorts by time, safe in paths and S3 keys. */
export const stampOf = (d: Date) => d.toISOString().replace(/[-:]/g, '');

export const archiveKey = (entry: string, stamp: string, format: 'custom' | 'directory' = 'custom') =>
  `${entry}/${stamp}.${format === 'directory' ? 'tar' : 'dump'}`;
export const manifestKey = (entry: string, stamp: string) => `${entry}/${stamp}.manifest.json`;
export const verifyKey = (entry: string, stamp: string) => `${entry}/${stamp}.verify.json`;

/** `entry/stamp` from a backup id; undefined when it is not one. */
export function splitId(id: string): { entry: string; stamp: string } | undefined {
  const m = /^([A-Za-z][\w-]*)\/(\d{8}T\d{6}(?:\.\d+)?Z)$/.exec(id);
  return m ? { entry: m[1]!, stamp: m[2]! } : undefined;
}
