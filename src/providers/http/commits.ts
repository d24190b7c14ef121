/** Matching a deploy to a commit across platforms that report full SHAs while users type short ones. */

/** Commits match when one is a prefix of the other (short and full SHAs), at 7 characters or more. */
export function sameCommit(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return Math.min(x.length, y.length) >= 7 && (x.startsWith(y) || y.startsWith(x));
}
