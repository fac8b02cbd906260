import { resolve } from 'node:path';
import { openArchive } from '../../archive/index.ts';
import { describeSession, summarize, type RecordingSummary, type SessionDetail } from '../../archive/summary.ts';
import { HarnessError } from '../../errors.ts';
import type { CommandModule } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';

function percent(n: number, total: number): string {
  return total === 0 ? '0%' : `${((100 * n) / total).toFixed(0)}%`;
}

function formatSummary(s: RecordingSummary): string {
  const lines = [
    `recording  ${s.archive}`,
    `format     v${s.formatVersion}, created ${s.createdAt} by ${s.generator}`,
    `anonymized policy ${s.anonymization.policyId}${s.anonymization.keyId ? `, key ${s.anonymization.keyId}` : ''}, ${s.anonymization.droppedSessions} session(s) dropped`,
    `sessions   ${s.sessions}`,
    `turns      ${s.turns} (${s.sessions ? (s.turns / s.sessions).toFixed(1) : '0'} per session)`,
    `exchanges  ${s.exchanges}: ${Object.entries(s.exchangesByKind).map(([k, n]) => `${k} ${n}`).join(', ')}; ${s.exchangeErrors} with errors; ${s.streamedLlm} llm streamed`,
    '',
    'segments',
  ];
  for (const [key, values] of Object.entries(s.segments).sort((a, b) => a[0].localeCompare(b[0]))) {
    const shown = Object.entries(values).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    lines.push(`  ${key.padEnd(12)} ${shown.map(([v, n]) => `${v} ${n} (${percent(n, s.sessions)})`).join(', ')}`);
  }
  lines.push('', 'turns per session');
  const widest = Math.max(1, ...s.turnHistogram.map((b) => b.sessions));
  for (const bucket of s.turnHistogram) {
    const bar = '█'.repeat(Math.max(1, Math.round((30 * bucket.sessions) / widest)));
    lines.push(`  ${String(bucket.turns).padStart(3)}  ${bar} ${bucket.sessions}`);
  }
  return `${lines.join('\n')}\n`;
}

function formatSession(d: SessionDetail): string {
  const lines = [
    `session    ${d.id}`,
    `started    ${d.startedAt}`,
    `segment    ${Object.entries(d.segment).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    `identities ${d.identities.map((i) => `${i.type}:${i.surrogate}`).join(', ') || '(none)'}`,
  ];
  for (const t of d.turns) {
    lines.push('', `turn ${t.index} at +${t.offsetMs}ms`);
    lines.push(`  user   ${t.input}`);
    const ttft = t.ttftMs === undefined ? '' : `, ttft ${t.ttftMs}ms`;
    lines.push(`  reply  [${t.status}, ${t.latencyMs}ms${ttft}] ${t.output}${t.error ? ` (error: ${t.error})` : ''}`);
    for (const x of t.exchanges) {
      const status = x.status === null ? 'no response' : String(x.status);
      lines.push(`    ${x.kind.padEnd(9)} ${x.name} via ${x.dependency} — ${status}, ${x.durationMs}ms${x.streamed ? ', streamed' : ''}${x.error ? ` — ${x.error}` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const command: CommandModule = {
  name: 'inspect',
  register(program, io, done) {
    program
      .command('inspect <archive>')
      .description('Show sessions, turns, exchanges by kind, segments and the turn-count histogram of a recording; or one session in detail')
      .option('--session <id>', 'show this session turn by turn (input, reply, every exchange)')
      .option('--json', 'print JSON for machines')
      .addHelpText(
        'after',
        `
Examples:
  rehearse inspect recordings/support.tar.gz
  rehearse inspect recordings/support.tar.gz --session sess-3f9a2c41d0e1
  rehearse inspect recordings/support.tar.gz --json | jq .segments

Exit status: 0 shown, 2 unknown --session id, 3 the archive is unreadable or corrupt.`,
      )
      .action(async (archive: string, flags: { session?: string; json?: boolean }) => {
        const reader = await openArchive(resolve(io.cwd, archive));
        if (flags.session !== undefined) {
          if (!reader.manifest.entries.some((e) => e.sessionId === flags.session)) {
            throw new HarnessError('USAGE', `session ${flags.session} is not in ${archive}`, { hint: '`rehearse inspect <archive> --json` lists the sessions; ids look like sess-…' });
          }
          for await (const session of reader.sessions()) {
            if (session.id !== flags.session) continue;
            const detail = describeSession(session, flags.json ? 400 : 100);
            io.stdout.write(flags.json ? `${JSON.stringify(detail, null, 2)}\n` : formatSession(detail));
            break;
          }
        } else {
          const summary = await summarize(archive, reader.manifest, reader.sessions());
          io.stdout.write(flags.json ? `${JSON.stringify({ ...summary, sessionIds: reader.manifest.entries.map((e) => e.sessionId) }, null, 2)}\n` : formatSummary(summary));
        }
        done(ExitCode.OK);
      });
  },
};

export default command;
