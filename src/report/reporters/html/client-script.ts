/**
 * Client script of report.html, kept as a string so the page (and the compiled package) needs no
 * asset files: plain browser JavaScript (no backticks or template holes inside), rendering the
 * embedded report data with DOM APIs only — textContent, never innerHTML, because recorded text
 * is untrusted — and drawing charts with the inlined uPlot.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var CLASSES = ['context_loss', 'leakage', 'cascade', 'schema_drift', 'latency_collapse', 'assertion', 'unmatched_call'];

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      for (var key in attrs) {
        if (attrs[key] === undefined || attrs[key] === null) continue;
        if (key === 'text') node.textContent = String(attrs[key]);
        else if (key === 'onclick') node.addEventListener('click', attrs[key]);
        else node.setAttribute(key, String(attrs[key]));
      }
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) child.forEach(function (c) { if (c) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
      else node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }
  function ms(v) {
    if (v === null || v === undefined) return '–';
    return v < 1000 ? (v < 10 ? v.toFixed(1) : Math.round(v)) + ' ms' : (v / 1000).toFixed(v < 10000 ? 2 : 1) + ' s';
  }
  function pct(v) { return v === null || v === undefined ? '–' : (v * 100).toFixed(v > 0 && v < 0.01 ? 2 : 1) + '%'; }
  function table(header, rows, cls) {
    return el('table', { class: cls || '' },
      el('thead', null, el('tr', null, header.map(function (h) { return el('th', { text: h }); }))),
      el('tbody', null, rows.map(function (r) {
        return el('tr', null, r.map(function (c) { return c instanceof Node ? el('td', null, c) : el('td', { text: c }); }));
      })));
  }
  function section(id, title) {
    var body = el('div', { class: 'body' });
    return { node: el('section', { id: id }, el('h2', { text: title }), body), body: body };
  }
  function sessionLink(instance, turn, label) {
    var href = '#session=' + encodeURIComponent(instance) + (turn === null || turn === undefined ? '' : '&turn=' + turn);
    return el('a', { href: href, class: 'session-link', 'data-instance': instance, text: label || instance });
  }
  function badge(text, kind) { return el('span', { class: 'badge ' + (kind || ''), text: text }); }

  // ---------- overview ----------
  function overview() {
    var s = section('overview', 'Overview');
    var t = data.totals, main = t.sessions.byVariant.main;
    var cards = [
      ['sessions', String(main.total)], ['completed', String(main.completed)], ['failed', String(main.failed + main.aborted + main.unfinished)],
      ['turns', String(t.turns.total)], ['error rate', pct(t.turns.errorRate)], ['findings', String(t.findings.total)],
      ['p95 turn', ms(data.latency.turnMs.p95)], ['p95 TTFT', ms(data.latency.ttftMs.p95)],
    ];
    s.body.appendChild(el('div', { class: 'cards' }, cards.map(function (c) {
      return el('div', { class: 'card' }, el('div', { class: 'value', text: c[1] }), el('div', { class: 'label', text: c[0] }));
    })));
    if (data.gates.length) {
      s.body.appendChild(el('h3', { text: 'Gates' }));
      s.body.appendChild(table(['', 'gate', 'value'], data.gates.map(function (g) {
        return [el('span', { class: g.passed ? 'pass' : 'fail', text: g.passed ? '✓' : '✗' }), el('code', { text: g.expression }),
          g.value === null ? (g.reason || 'no data') : /\(\s*\w+_ms\s*\)/.test(g.expression) ? ms(g.value) : String(Math.round(g.value * 10000) / 10000)];
      }), 'gates'));
    }
    if (data.comparison) {
      var c = data.comparison;
      s.body.appendChild(el('h3', { text: 'Against baseline ' + c.baselineRunId }));
      s.body.appendChild(el('p', { text: c.newFindings.length + ' new, ' + c.fixedFindings.length + ' fixed findings · p95 turn ' + ms(c.turnMs.p95.before) + ' → ' + ms(c.turnMs.p95.after) + ' · error rate ' + pct(c.errorRate.before) + ' → ' + pct(c.errorRate.after) }));
      s.body.appendChild(table(['segment', 'p95 before', 'p95 after', 'failing before', 'failing after'], c.segments.map(function (g) {
        return [g.key + '=' + g.value, ms(g.p95.before), ms(g.p95.after), pct(g.failureRate.before), pct(g.failureRate.after)];
      })));
    }
    return s.node;
  }

  // ---------- findings ----------
  function findings() {
    var s = section('findings', 'Findings');
    var classes = CLASSES.filter(function (c) { return data.totals.findings.byClass[c] > 0; });
    if (!classes.length) { s.body.appendChild(el('p', { class: 'ok', text: 'No findings.' })); return s.node; }
    s.body.appendChild(el('h3', { text: 'By class × segment' }));
    var rows = [['all', String(data.totals.sessions.byVariant.main.total), String(data.totals.findings.sessionsWithAny)].concat(classes.map(function (c) { return String(data.totals.findings.byClass[c]); }))];
    data.segments.forEach(function (g) {
      rows.push([g.key + '=' + g.value, String(g.sessions), pct(g.sessions ? g.failing / g.sessions : null)].concat(classes.map(function (c) { return g.findings[c] ? String(g.findings[c]) : ''; })));
    });
    s.body.appendChild(table(['segment', 'sessions', 'failing'].concat(classes), rows, 'matrix'));
    s.body.appendChild(el('h3', { text: 'All findings (worst first)' }));
    s.body.appendChild(el('ul', { class: 'findings' }, data.findings.map(function (f) {
      return el('li', { class: 'finding sev-' + f.severity },
        badge(f.severity, 'sev-' + f.severity), badge(f.class, 'cls'), ' ',
        sessionLink(f.sessionInstance, f.turn, f.sessionInstance + (f.turn === null ? '' : ' · turn ' + f.turn)), ' ',
        el('span', { class: 'title', text: f.title }),
        el('div', { class: 'evidence', text: f.evidence.summary }));
    })));
    return s.node;
  }

  // ---------- latency ----------
  function chartBox(id) { return el('div', { class: 'chart', id: id }); }
  function latency() {
    var s = section('latency', 'Latency');
    var l = data.latency;
    s.body.appendChild(table(['series', 'count', 'mean', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max'], [['turn (from intended send)', l.turnMs], ['time to first token', l.ttftMs]].map(function (r) {
      var x = r[1]; return [r[0], String(x.count), ms(x.mean), ms(x.p50), ms(x.p90), ms(x.p95), ms(x.p99), ms(x.p999), ms(x.max)];
    })));
    if (data.totals.warmupMs > 0) s.body.appendChild(el('p', { class: 'note', text: data.totals.turns.warmup + ' turns planned in the first ' + ms(data.totals.warmupMs) + ' (warm-up) are excluded.' }));
    if (data.totals.warmUp) s.body.appendChild(el('p', { class: 'note', text: data.totals.warmUp }));
    s.body.appendChild(el('div', { class: 'charts' },
      el('figure', null, el('figcaption', { text: 'Turn latency distribution' }), chartBox('chart-histogram')),
      el('figure', null, el('figcaption', { text: 'Turn latency over run time' }), chartBox('chart-over-time'))));
    return s.node;
  }
  function drawCharts() {
    if (typeof uPlot !== 'function') return;
    var hist = data.distribution.turnMs;
    var box = document.getElementById('chart-histogram');
    var width = Math.max(320, box.clientWidth || 480);
    if (hist.length) {
      new uPlot({
        width: width, height: 240, legend: { show: false },
        scales: { x: { time: false } },
        axes: [{ label: 'ms (log buckets)', values: function (u, v) { return v.map(function (x) { return x === null ? '' : Math.round(x); }); } }, { label: 'turns' }],
        series: [{}, { label: 'turns', fill: 'rgba(56,108,176,0.55)', stroke: '#386cb0', paths: uPlot.paths.bars({ size: [0.9, 60] }), points: { show: false } }],
      }, [hist.map(function (b) { return Math.sqrt(b.fromMs * b.toMs); }), hist.map(function (b) { return b.count; })], box);
    } else box.appendChild(el('p', { class: 'note', text: 'no turns measured' }));
    var pts = data.overTime.points;
    var box2 = document.getElementById('chart-over-time');
    if (pts.length) {
      new uPlot({
        width: width, height: 240, scales: { x: { time: false } },
        axes: [{ label: 'run time (s)' }, { label: 'ms' }],
        series: [{ label: 's' },
          { label: 'p50', stroke: '#386cb0', width: 2, points: { show: pts.length < 40 } },
          { label: 'p95', stroke: '#f0a020', width: 2, points: { show: pts.length < 40 } },
          { label: 'max', stroke: '#c0392b', width: 1, dash: [4, 4] }],
      }, [pts.map(function (p) { return (p.startMs + data.overTime.bucketMs / 2) / 1000; }), pts.map(function (p) { return p.p50; }), pts.map(function (p) { return p.p95; }), pts.map(function (p) { return p.max; })], box2);
    } else box2.appendChild(el('p', { class: 'note', text: 'no turns measured' }));
  }

  // ---------- dependencies ----------
  function dependencies() {
    var s = section('dependencies', 'Dependencies');
    s.body.appendChild(table(['dependency', 'kind', 'calls', 'faulted', 'errors', 'unmatched', 'p50', 'p95', 'max'], data.dependencies.map(function (d) {
      return [d.name, d.kind, String(d.calls), String(d.faulted), String(d.errors), String(d.unmatched), ms(d.durationMs.p50), ms(d.durationMs.p95), ms(d.durationMs.max)];
    })));
    if (data.totals.unattributedCalls) s.body.appendChild(el('p', { class: 'note', text: data.totals.unattributedCalls + ' calls could not be attributed to any session.' }));
    return s.node;
  }

  // ---------- sessions ----------
  function sessions() {
    var s = section('sessions', 'Sessions');
    s.body.appendChild(table(['instance', 'recorded', 'variant', 'segment', 'status', 'turns', 'findings'], data.sessions.map(function (r) {
      return [sessionLink(r.instance), r.recordedSession, r.variant, Object.keys(r.segment).map(function (k) { return k + '=' + r.segment[k]; }).join(' '),
        el('span', { class: r.status === 'completed' ? 'pass' : 'fail', text: r.status }), String(r.turns), r.findings.length ? badge(String(r.findings.length), 'sev-high') : ''];
    }), 'sessions'));
    if (data.timelinesOmitted > 0) s.body.appendChild(el('p', { class: 'note', text: 'Turn-by-turn timelines of ' + data.timelinesOmitted + ' sessions are left out to keep this page small (sessions with findings are kept first); the journal has them and rehearse repro replays any session.' }));
    return s.node;
  }

  function sessionView(instance, focusTurn) {
    var row = data.sessions.find(function (r) { return r.instance === instance; });
    var view = el('section', { id: 'session-view' });
    view.appendChild(el('a', { href: '#', class: 'back', text: '← back to the report' }));
    if (!row) { view.appendChild(el('p', { text: 'No session ' + instance + ' in this run.' })); return view; }
    view.appendChild(el('h2', { text: 'Session ' + row.instance }));
    view.appendChild(el('p', { class: 'meta', text: 'recorded ' + row.recordedSession + ' · ' + row.variant + ' · ' + row.status + ' · ' + Object.keys(row.segment).map(function (k) { return k + '=' + row.segment[k]; }).join(' ') }));
    var repro = el('code', { class: 'repro', text: row.repro });
    view.appendChild(el('div', { class: 'repro-box' }, el('span', { text: 'Reproduce: ' }), repro,
      el('button', { type: 'button', onclick: function () { if (navigator.clipboard) navigator.clipboard.writeText(row.repro); } , text: 'copy' })));
    var mine = data.findings.filter(function (f) { return f.sessionInstance === instance; });
    if (mine.length) view.appendChild(el('ul', { class: 'findings' }, mine.map(function (f) {
      return el('li', { class: 'finding sev-' + f.severity }, badge(f.severity, 'sev-' + f.severity), badge(f.class, 'cls'),
        // Detector titles usually start with their turn already; say it once.
        /^turn \d+\b/.test(f.title) ? ' ' : ' turn ' + (f.turn === null ? '–' : f.turn) + ': ', el('span', { class: 'title', text: f.title }), el('div', { class: 'evidence', text: f.evidence.summary }));
    })));
    var findingTurns = {};
    mine.forEach(function (f) { if (f.turn !== null) findingTurns[f.turn] = true; });
    if (row.timeline === null) view.appendChild(el('p', { class: 'note', text: 'This session\'s timeline is not embedded (the page keeps the timelines of sessions with findings first, within a budget). Its events are in the run journal; the command above replays it.' }));
    (row.timeline || []).forEach(function (t) {
      var span = Math.max(t.latencyMs, 1);
      t.calls.forEach(function (c) { span = Math.max(span, c.startMs + c.durationMs); });
      var bar = function (start, dur, cls, label) {
        return el('div', { class: 'bar ' + cls, style: 'left:' + (100 * start / span).toFixed(2) + '%;width:' + Math.max(0.5, 100 * dur / span).toFixed(2) + '%', title: label });
      };
      var lanes = [el('div', { class: 'lane' }, el('span', { class: 'lane-label', text: 'turn' }), el('div', { class: 'track' },
        bar(0, t.latencyMs, t.error || t.status >= 400 ? 'turn-bar error' : 'turn-bar', 'turn ' + ms(t.latencyMs)),
        t.ttftMs === null ? null : el('div', { class: 'tick ttft', style: 'left:' + (100 * t.ttftMs / span).toFixed(2) + '%', title: 'first token ' + ms(t.ttftMs) })))];
      t.calls.forEach(function (c) {
        var cls = 'call-bar' + (c.faults.length ? ' faulted' : '') + (c.error || (c.status !== null && c.status >= 400) ? ' error' : '') + (c.match === 'unmatched' ? ' unmatched' : '');
        var track = el('div', { class: 'track' }, bar(c.startMs, c.durationMs, cls, c.dependency + ' ' + ms(c.durationMs)),
          c.chunkOffsetsMs.map(function (o) { return el('div', { class: 'tick chunk', style: 'left:' + (100 * (c.startMs + o) / span).toFixed(2) + '%' }); }));
        lanes.push(el('div', { class: 'lane' }, el('span', { class: 'lane-label', text: c.dependency + ' #' + c.callIndex }), track,
          el('span', { class: 'lane-info' }, c.status === null ? 'no response' : String(c.status), ' · ', ms(c.durationMs),
            c.chunkOffsetsMs.length ? ' · ' + c.chunkOffsetsMs.length + ' chunks' : '', c.faults.map(function (f) { return badge(f, 'fault'); }),
            c.match === 'unmatched' ? badge('unmatched', 'sev-high') : null, c.error ? el('span', { class: 'fail', text: ' ' + c.error }) : null)));
      });
      view.appendChild(el('article', { class: 'turn' + (findingTurns[t.turn] ? ' has-finding' : ''), id: 'turn-' + t.turn },
        el('h3', { text: 'Turn ' + t.turn + ' · ' + ms(t.latencyMs) + (t.ttftMs === null ? '' : ' · first token ' + ms(t.ttftMs)) + ' · status ' + t.status + (t.sendDelayMs > 1 ? ' · sent ' + ms(t.sendDelayMs) + ' late' : '') }),
        el('div', { class: 'msg user' }, el('span', { class: 'who', text: 'user' }), el('pre', { text: t.input })),
        el('div', { class: 'timeline' }, lanes),
        t.gapsMs.length ? el('p', { class: 'note', text: (t.gapsMs.length + 1) + ' streamed chunks, largest gap ' + ms(Math.max.apply(null, t.gapsMs)) }) : null,
        el('div', { class: 'msg assistant' }, el('span', { class: 'who', text: 'app' }), el('pre', { text: t.reply })),
        t.error ? el('p', { class: 'fail', text: t.error }) : null));
    });
    if (focusTurn !== null) setTimeout(function () { var n = document.getElementById('turn-' + focusTurn); if (n) n.scrollIntoView(); }, 0);
    return view;
  }

  // ---------- page ----------
  var main = document.getElementById('main');
  var sessionRoot = document.getElementById('session-root');
  main.appendChild(overview());
  main.appendChild(findings());
  main.appendChild(latency());
  main.appendChild(dependencies());
  main.appendChild(sessions());
  drawCharts();

  function route() {
    var m = /^#session=([^&]*)(?:&turn=(\d+))?$/.exec(location.hash);
    sessionRoot.textContent = '';
    if (m) {
      main.hidden = true;
      sessionRoot.appendChild(sessionView(decodeURIComponent(m[1]), m[2] === undefined ? null : Number(m[2])));
      window.scrollTo(0, 0);
    } else main.hidden = false;
  }
  window.addEventListener('hashchange', route);
  route();
})();
`;
