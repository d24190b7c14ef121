// Types of bench/cli.mjs for the TypeScript benchmarks.
export const root: string;
export const opsbook: string[];
export function loadLine(): string;
export function median(xs: number[]): number;
export interface Timed {
  ms: number;
  all: number[];
  rssMiB?: number;
  stdout: string;
  stderr: string;
}
export function timeCli(
  argv: string[],
  options?: {
    runs?: number;
    warm?: number;
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    ok?: (status: number | null) => boolean;
    maxBuffer?: number;
  },
): Timed;
export function ratio(ours: number, theirs: number): string;
