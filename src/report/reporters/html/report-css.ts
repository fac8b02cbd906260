/** Stylesheet of report.html (inlined). */
export const REPORT_CSS = String.raw`
:root { --fg: #1d2430; --muted: #5b6675; --line: #dde2e8; --bg: #f6f7f9; --ok: #1e8e3e; --bad: #c0392b; --accent: #386cb0; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { background: #fff; border-bottom: 1px solid var(--line); padding: 16px 28px; display: flex; align-items: center; gap: 16px; flex-wrap: wrap; }
header h1 { font-size: 20px; margin: 0; }
header .meta { color: var(--muted); }
.verdict { padding: 4px 12px; border-radius: 14px; font-weight: 600; color: #fff; }
/* verdict-* (not .pass / .fail) so the generic text colours below cannot paint the label invisible. */
.verdict.verdict-pass { background: var(--ok); } .verdict.verdict-fail { background: var(--bad); } .verdict.verdict-none { background: var(--muted); }
nav { display: flex; gap: 14px; margin-left: auto; } nav a { color: var(--accent); text-decoration: none; }
main, #session-root { max-width: 1200px; margin: 0 auto; padding: 8px 28px 40px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 8px 20px 16px; margin-top: 18px; }
h2 { font-size: 17px; margin: 10px 0; } h3 { font-size: 14px; margin: 16px 0 8px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(120px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.card .value { font-size: 20px; font-weight: 600; } .card .label { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 12px; }
table.matrix td:nth-child(n+2), table.matrix th:nth-child(n+2) { text-align: right; }
.pass { color: var(--ok); font-weight: 600; } .fail { color: var(--bad); font-weight: 600; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; background: #f0f2f5; padding: 1px 4px; border-radius: 3px; }
.badge { display: inline-block; font-size: 11px; padding: 1px 7px; border-radius: 9px; margin-right: 4px; background: #e8ecf1; }
.badge.sev-critical { background: #7b1113; color: #fff; } .badge.sev-high { background: var(--bad); color: #fff; }
.badge.sev-medium { background: #f0a020; color: #fff; } .badge.sev-low { background: #9aa5b1; color: #fff; }
.badge.cls { background: #e3ecf8; color: #23497a; } .badge.fault { background: #fde7c8; color: #7a4a00; margin-left: 4px; }
ul.findings { list-style: none; padding: 0; margin: 0; }
li.finding { padding: 8px 0; border-bottom: 1px solid var(--line); }
li.finding .title { font-weight: 500; } li.finding .evidence { color: var(--muted); margin-top: 2px; white-space: pre-wrap; }
a.session-link { color: var(--accent); }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
figure { margin: 0; } figcaption { color: var(--muted); font-size: 12px; margin-bottom: 4px; }
.note { color: var(--muted); font-size: 12px; }
.ok { color: var(--ok); }
.back { display: inline-block; margin: 16px 0 0; color: var(--accent); }
#session-view { margin-top: 8px; }
.repro-box { background: #1d2430; color: #fff; border-radius: 6px; padding: 10px 12px; display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.repro-box code { background: transparent; color: #c8f7c5; font-size: 13px; }
.repro-box button { margin-left: auto; }
article.turn { border: 1px solid var(--line); border-radius: 6px; padding: 4px 14px 10px; margin: 12px 0; }
article.turn.has-finding { border-left: 4px solid var(--bad); }
.msg { display: flex; gap: 10px; margin: 6px 0; } .msg .who { width: 64px; flex: none; color: var(--muted); font-size: 12px; padding-top: 2px; }
.msg pre { margin: 0; white-space: pre-wrap; word-break: break-word; font: inherit; }
.msg.assistant pre { background: #f3f6fa; padding: 6px 8px; border-radius: 4px; flex: 1; }
.timeline { margin: 8px 0; }
.lane { display: grid; grid-template-columns: 150px 1fr 300px; align-items: center; gap: 8px; height: 22px; }
.lane-label { font-size: 12px; color: var(--muted); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.lane-info { font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.track { position: relative; height: 14px; background: #f0f2f5; border-radius: 3px; }
.bar { position: absolute; top: 2px; height: 10px; border-radius: 2px; }
.turn-bar { background: var(--accent); } .call-bar { background: #7fa7d6; }
.bar.faulted { background: #f0a020; } .bar.error { background: var(--bad); } .bar.unmatched { background: #8e44ad; }
.tick { position: absolute; top: 0; width: 2px; height: 14px; }
.tick.ttft { background: #1e8e3e; } .tick.chunk { background: rgba(29, 36, 48, 0.45); width: 1px; }
@media (max-width: 900px) { .charts { grid-template-columns: 1fr; } .lane { grid-template-columns: 100px 1fr; } .lane-info { display: none; } }
`;
