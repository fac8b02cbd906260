import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CLIENT_SCRIPT } from './client-script.ts';
import type { HtmlData } from './html-data.ts';
import { REPORT_CSS } from './report-css.ts';

/** The files inlined into every report: uPlot (script + CSS), our stylesheet and client script. */
export interface HtmlAssets {
  uplotJs: string;
  uplotCss: string;
  css: string;
  clientJs: string;
}

let cached: HtmlAssets | undefined;

/** Reads uPlot's files once per process (it is a runtime dependency, so they ship with the package). */
export function loadAssets(): HtmlAssets {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const read = (path: string) => readFileSync(path, 'utf8');
  cached = {
    uplotJs: read(require.resolve('uplot/dist/uPlot.iife.min.js')),
    uplotCss: read(require.resolve('uplot/dist/uPlot.min.css')),
    css: REPORT_CSS,
    clientJs: CLIENT_SCRIPT,
  };
  return cached;
}

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON inside `<script type="application/json">`: `<` is escaped so no recorded text can close
 * the element (`</script>`) or open a comment; U+2028/2029 for older parsers.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

// Inlined scripts and styles are ours or uPlot's, but guard against an end tag slipping in.
function inline(code: string, tag: 'script' | 'style'): string {
  return code.replace(new RegExp(`</${tag}`, 'gi'), `<\\/${tag}`);
}

/** The whole self-contained page: no external URL is referenced. */
export function renderHtmlPage(data: HtmlData, assets: HtmlAssets = loadAssets()): string {
  const verdict = data.gates.length === 0 ? ['none', 'no gates'] : data.passed ? ['pass', 'gates passed'] : ['fail', 'gates failed'];
  const shards = data.run.shards ? ` · shards ${data.run.shards.included.join(', ')} of ${data.run.shards.count}` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>rehearsal · ${escapeHtml(data.run.scenario)} · ${escapeHtml(data.run.id)}</title>
<style>${inline(assets.uplotCss, 'style')}</style>
<style>${inline(assets.css, 'style')}</style>
</head>
<body>
<header>
  <h1>rehearsal · ${escapeHtml(data.run.scenario)}</h1>
  <span class="verdict verdict-${verdict[0]}">${verdict[1]}</span>
  <span class="meta">run ${escapeHtml(data.run.id)} · seed ${escapeHtml(data.run.seed)} · ${escapeHtml(data.run.startedAt)}${escapeHtml(shards)}${data.run.interrupted ? ' · interrupted' : ''}</span>
  <nav><a href="#">overview</a><a href="#findings">findings</a><a href="#latency">latency</a><a href="#dependencies">dependencies</a><a href="#sessions">sessions</a></nav>
</header>
<main id="main"></main>
<div id="session-root"></div>
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script>${inline(assets.uplotJs, 'script')}</script>
<script>${inline(assets.clientJs, 'script')}</script>
</body>
</html>
`;
}
