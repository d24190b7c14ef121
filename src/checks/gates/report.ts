/** The printable checklist (kamiyo.md's appendix), with the evidence for each item. */
import { formatMs } from '../../timing/index.js';
import type { CheckResult } from './run-gates.js';
import { countLine, replayNote } from './summary.js';

const MARK = { passed: '☑', failed: '☒', skipped: '☐' } as const;

export function renderMarkdown(result: CheckResult, stack: string, actor: string): string {
  const when = result.startedAt.replace('T', ' ').slice(0, 16);
  const lines = [
    `# Pre-deployment checklist: ${stack} → ${result.environment}`,
    '',
    `Date: ${when} UTC  `,
    `Run by: ${actor}  `,
    `Result: ${result.passed && result.gates.length ? 'PASSED' : 'FAILED'} (${countLine(result)}, ${formatMs(result.durationMs)})`,
    '',
    '| | Item | Evidence |',
    '| --- | --- | --- |',
  ];
  for (const g of result.gates) {
    const evidence = [
      g.summary,
      replayNote(g),
      g.required ? '' : 'optional',
      g.logFile ? `log: ${g.logFile}` : '',
    ]
      .filter(Boolean)
      .join(' · ')
      .replaceAll('|', '\\|');
    lines.push(`| ${MARK[g.status]} | ${g.name.replaceAll('|', '\\|')} | ${evidence} |`);
  }
  const failed = result.gates.filter((g) => g.status === 'failed' && g.tail);
  for (const g of failed) lines.push('', `## ${g.name}: last lines`, '', '```', g.tail ?? '', '```');
  return `${lines.join('\n')}\n`;
}
