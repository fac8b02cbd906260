import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Finding } from '../../model/index.ts';
import type { Reporter, ReportContext } from '../reporter.ts';
import type { SessionRow } from '../report-schema.ts';

/** `junit.xml`: one test case per session instance, one per gate; CI systems draw the red/green from it. */
export const junitReporter: Reporter = {
  async onRunEnd(ctx) {
    const path = join(ctx.runDir, 'junit.xml');
    await writeFile(path, renderJunit(ctx));
    return path;
  },
};

/**
 * Layout: a `sessions` suite (classname = scenario + segment, so CI groups by segment; name =
 * instance and recorded session) whose failing cases carry one `<failure>` listing every
 * finding with its repro command, or an `<error>` when the session itself failed; then a
 * `gates` suite with one case per gate.
 */
export function renderJunit(ctx: ReportContext): string {
  const { report } = ctx;
  const byId = new Map(report.findings.map((f) => [f.id, f]));
  const scenario = report.run.scenario;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const cases = report.sessions.map((row) => {
    const data = ctx.run.instances.get(row.instance);
    const ms = data ? data.turns.reduce((n, t) => n + t.latencyMs, 0) : 0;
    const classname = [scenario, ...Object.entries(row.segment).map(([k, v]) => `${k}=${v}`)].join('.');
    const findings = row.findings.map((id) => byId.get(id)).filter((f): f is Finding => f !== undefined);
    const body = sessionOutcome(row, findings, data?.end?.error);
    return `    <testcase classname="${attr(classname)}" name="${attr(`${row.instance} (${row.recordedSession}, ${row.variant})`)}" time="${seconds(ms)}">${body}</testcase>`;
  });
  const sessionFailures = report.sessions.filter((r) => r.findings.length > 0).length;
  const sessionErrors = report.sessions.filter((r) => r.findings.length === 0 && r.status !== 'completed').length;
  const gateCases = ctx.gates.map((g) => {
    const body = g.passed ? '' : `\n      <failure message="${attr(`gate failed: ${g.expression} (value ${g.value ?? 'no data'})`)}" type="gate">${text(g.reason ?? `measured ${g.value}`)}</failure>\n    `;
    return `    <testcase classname="${attr(`${scenario}.gates`)}" name="${attr(g.expression)}" time="0">${body}</testcase>`;
  });
  const gateFailures = ctx.gates.filter((g) => !g.passed).length;
  const totalMs = ctx.run.end?.t ?? 0;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(`rehearsal ${scenario}`)}" tests="${cases.length + gateCases.length}" failures="${sessionFailures + gateFailures}" errors="${sessionErrors}" time="${seconds(totalMs)}">`,
    `  <testsuite name="${attr(`${scenario} sessions`)}" tests="${cases.length}" failures="${sessionFailures}" errors="${sessionErrors}" skipped="0" timestamp="${attr(report.run.startedAt)}">`,
    `    <properties><property name="runId" value="${attr(report.run.id)}"/><property name="seed" value="${attr(report.run.seed)}"/></properties>`,
    ...cases,
    '  </testsuite>',
    `  <testsuite name="${attr(`${scenario} gates`)}" tests="${gateCases.length}" failures="${gateFailures}" errors="0" skipped="0">`,
    ...gateCases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function sessionOutcome(row: SessionRow, findings: readonly Finding[], endError: string | undefined): string {
  if (findings.length > 0) {
    const first = findings[0] as Finding;
    const classes = [...new Set(findings.map((f) => f.class))].join(',');
    const lines = findings.map((f) => `[${f.severity}] ${f.class} turn ${f.turn ?? '-'}: ${f.title}\n  ${f.evidence.summary}\n  repro: ${f.repro}`);
    const message = findings.length === 1 ? first.title : `${first.title} (+${findings.length - 1} more)`;
    return `\n      <failure message="${attr(message)}" type="${attr(classes)}">${text(lines.join('\n\n'))}</failure>\n    `;
  }
  if (row.status !== 'completed') {
    return `\n      <error message="${attr(`session ${row.status}${endError ? `: ${endError}` : ''}`)}" type="${row.status}">${text(`repro: ${row.repro}`)}</error>\n    `;
  }
  return '';
}

// XML 1.0 forbids most control characters even escaped; recorded text may contain anything.
const INVALID_XML = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Escapes element text. */
export function text(value: string): string {
  return value.replace(INVALID_XML, '\ufffd').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an attribute value (double-quoted); newlines kept as character references. */
export function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
