/* gradtune report.html: draws the embedded model (ReportModel) with ECharts; in live mode polls data.json. */
(function () {
  'use strict';
  var charts = {};
  var sortState = { key: 'objective', dir: -1 };
  var filters = { state: '', diagnosis: '', text: '' };
  var curveMetric = 'objective';
  var extraGradients = [];
  var TOP_FEATURES = 20; // bars in the feature importance chart
  var M = JSON.parse(document.getElementById('gradtune-data').textContent);

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === 'text') { e.textContent = attrs[k]; } else if (k === 'cls') { e.className = attrs[k]; } else { e.setAttribute(k, attrs[k]); }
      });
    }
    (children || []).forEach(function (c) { if (c) { e.appendChild(c); } });
    return e;
  }
  function fmt(v, digits) {
    if (v === null || v === undefined || v === '') { return '—'; }
    if (typeof v === 'number') { return Math.abs(v) >= 1000 || Number.isInteger(v) ? String(v) : v.toFixed(digits === undefined ? 4 : digits); }
    return String(v);
  }
  function paramText(params) {
    return Object.keys(params || {}).map(function (k) { return k + '=' + fmt(params[k]); }).join(', ');
  }
  function evidenceText(t) {
    if (!t.stop) { return t.stopReason || ''; }
    var lines = ['stopped by ' + t.stop.rule + ' at epoch ' + t.stop.epoch, t.stop.reason];
    var ev = t.stop.evidence || {};
    Object.keys(ev).forEach(function (k) { lines.push(k + ': ' + (typeof ev[k] === 'object' ? JSON.stringify(ev[k]) : fmt(ev[k]))); });
    return lines.join('\n');
  }
  function section(id, title, note) {
    var s = document.getElementById(id);
    if (!s) {
      s = el('section', { id: id, cls: 'card' });
      document.getElementById('content').appendChild(s);
    }
    s.innerHTML = '';
    s.appendChild(el('h2', { text: title }));
    if (note) { s.appendChild(el('p', { cls: 'note', text: note })); }
    return s;
  }
  function chart(parent, id, option, cls) {
    var box = document.getElementById(id);
    if (!box) { box = el('div', { id: id, cls: 'chart ' + (cls || '') }); }
    parent.appendChild(box);
    var c = echarts.getInstanceByDom(box) || echarts.init(box);
    option.animation = false;
    c.setOption(option, true);
    charts[id] = c;
    return c;
  }
  function numeric(values) { return values.every(function (v) { return v === null || v === undefined || typeof v === 'number'; }); }

  function renderHeader() {
    var h = document.getElementById('header');
    h.innerHTML = '';
    var s = M.study;
    h.appendChild(el('h1', { text: 'gradtune · ' + s.name }));
    var badges = el('div', { cls: 'badges' }, [
      el('span', { cls: 'badge ' + s.status, text: s.status }),
      M.live ? el('span', { cls: 'badge live', id: 'live-badge', text: 'live · ' + M.epochRecords + ' epoch records' }) : null,
      el('span', { cls: 'muted', text: 'generated ' + M.generated })
    ]);
    h.appendChild(badges);
  }

  function renderSummary() {
    var s = M.study;
    var sec = section('summary', 'Summary');
    var states = Object.keys(s.byState || {}).map(function (k) { return k.toLowerCase() + ' ' + s.byState[k]; }).join(' · ');
    var rows = [
      ['objective', s.metric + ' (' + s.direction + ')'],
      ['search', (s.algorithm || '?') + ', budget ' + fmt(s.maxTrials) + ' trials × ' + fmt(s.epochs) + ' epochs'],
      ['wall time', s.wallSeconds === undefined ? '—' : fmt(s.wallSeconds, 1) + ' s'],
      ['trials', states || 'none yet'],
      ['epoch records', String(s.epochRecords)]
    ];
    if (s.best) {
      rows.push(['best trial', s.best.trialId + ': ' + s.metric + ' ' + fmt(s.best.objective) + (s.best.bestEpoch ? ' at epoch ' + s.best.bestEpoch : '')]);
      rows.push(['best parameters', paramText(s.best.params)]);
    }
    if (s.test) {
      var t = s.test;
      var fig = t.test_accuracy !== undefined && t.test_accuracy !== null
        ? 'accuracy ' + fmt(t.test_accuracy) + ', loss ' + fmt(t.test_loss)
        : 'mse ' + fmt(t.test_mse) + ', mae ' + fmt(t.test_mae) + ', r2 ' + fmt(t.test_r2);
      rows.push(['test set', fig + ' on ' + fmt(t.rows) + ' held-out rows (' + fmt(t.trial) + ' refitted)']);
    }
    if (s.failure) { rows.push(['failure', String(s.failure)]); }
    var tbl = el('table', { cls: 'kv' });
    rows.forEach(function (r) { tbl.appendChild(el('tr', null, [el('th', { text: r[0] }), el('td', { text: r[1] })])); });
    sec.appendChild(tbl);
    if (s.configText) {
      sec.appendChild(el('details', null, [el('summary', { text: 'config' }), el('pre', { text: s.configText })]));
    }
  }

  var COLUMNS = [
    { key: 'id', label: 'trial' }, { key: 'state', label: 'state' }, { key: 'objective', label: 'objective' },
    { key: 'valAccuracy', label: 'val_acc' }, { key: 'valLoss', label: 'val_loss' }, { key: 'bestEpoch', label: 'best ep' },
    { key: 'epochs', label: 'epochs' }, { key: 'seconds', label: 's' }, { key: 'diagnosis', label: 'diagnosis' },
    { key: 'stopReason', label: 'stop reason' }
  ];
  function cell(t, key) {
    if (key.indexOf('param:') === 0) { return t.params[key.substring(6)]; }
    return t[key];
  }
  function compareCells(a, b) {
    var an = a === null || a === undefined || a === '', bn = b === null || b === undefined || b === '';
    if (an || bn) { return an === bn ? 0 : an ? 1 : -1; }
    if (typeof a === 'number' && typeof b === 'number') { return a - b; }
    return String(a).localeCompare(String(b), undefined, { numeric: true });
  }
  function renderLeaderboard() {
    var sec = section('leaderboard', 'Leaderboard', 'Click a column to sort; hover a stop reason for the rule\'s evidence.');
    var states = {}, diags = {};
    M.trials.forEach(function (t) { states[t.state] = 1; (t.diagnoses.length ? t.diagnoses : [t.diagnosis]).forEach(function (d) { if (d) { diags[d] = 1; } }); });
    function select(id, label, values, key) {
      var s = el('select', { id: id, 'aria-label': label });
      s.appendChild(el('option', { value: '', text: 'all ' + label }));
      Object.keys(values).sort().forEach(function (v) { var o = el('option', { value: v, text: v }); if (filters[key] === v) { o.selected = true; } s.appendChild(o); });
      s.addEventListener('change', function () { filters[key] = s.value; drawRows(); });
      return s;
    }
    var text = el('input', { id: 'filter-text', type: 'search', placeholder: 'filter trials / parameters' });
    text.value = filters.text;
    text.addEventListener('input', function () { filters.text = text.value; drawRows(); });
    sec.appendChild(el('div', { cls: 'filters' }, [select('filter-state', 'states', states, 'state'), select('filter-diagnosis', 'diagnoses', diags, 'diagnosis'), text]));
    var cols = COLUMNS.concat(M.params.map(function (p) { return { key: 'param:' + p, label: p }; }));
    var table = el('table', { id: 'leaderboard-table', cls: 'board' });
    var head = el('tr');
    cols.forEach(function (c) {
      var th = el('th', { 'data-key': c.key, text: c.label + (sortState.key === c.key ? (sortState.dir > 0 ? ' ▲' : ' ▼') : '') });
      th.addEventListener('click', function () {
        sortState = { key: c.key, dir: sortState.key === c.key ? -sortState.dir : (c.key === 'id' ? 1 : -1) };
        renderLeaderboard();
      });
      head.appendChild(th);
    });
    table.appendChild(el('thead', null, [head]));
    var body = el('tbody');
    table.appendChild(body);
    sec.appendChild(el('div', { cls: 'scroll' }, [table]));
    function drawRows() {
      body.innerHTML = '';
      var rows = M.trials.filter(function (t) {
        if (filters.state && t.state !== filters.state) { return false; }
        if (filters.diagnosis && t.diagnosis !== filters.diagnosis && t.diagnoses.indexOf(filters.diagnosis) < 0) { return false; }
        if (filters.text) {
          var hay = (t.id + ' ' + t.state + ' ' + t.diagnosis + ' ' + t.stopReason + ' ' + paramText(t.params)).toLowerCase();
          if (hay.indexOf(filters.text.toLowerCase()) < 0) { return false; }
        }
        return true;
      });
      rows.sort(function (a, b) {
        var x = cell(a, sortState.key), y = cell(b, sortState.key);
        var xn = x === null || x === undefined || x === '', yn = y === null || y === undefined || y === '';
        if (xn || yn) { return xn === yn ? compareCells(a.id, b.id) : xn ? 1 : -1; }
        var c = compareCells(x, y) * sortState.dir;
        return c === 0 ? compareCells(a.id, b.id) : c;
      });
      rows.forEach(function (t) {
        var tr = el('tr', { 'data-trial': t.id, cls: 'state-' + t.state });
        cols.forEach(function (c) {
          var v = cell(t, c.key);
          var td = el('td', { text: fmt(v, c.key === 'seconds' ? 1 : undefined) });
          if (c.key === 'stopReason' && (t.stop || t.stopReason)) { td.setAttribute('title', evidenceText(t)); td.className = 'stop'; }
          if (c.key === 'diagnosis' && t.diagnoses.length > 1) { td.setAttribute('title', t.diagnoses.join(', ')); }
          if (c.key === 'state' && t.error) { td.setAttribute('title', t.error); }
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
      var count = document.getElementById('leaderboard-count') || el('p', { id: 'leaderboard-count', cls: 'note' });
      count.textContent = rows.length + ' of ' + M.trials.length + ' trials shown';
      sec.appendChild(count);
    }
    drawRows();
  }

  function renderHistory() {
    var sec = section('history', 'Optimization history and slot timeline', 'Left: each finished trial\'s objective in finishing order, and the best so far. Right: trials per task slot over wall time (gaps are orchestration overhead).');
    var grid = el('div', { cls: 'grid2' });
    sec.appendChild(grid);
    if (M.history.length) {
      chart(grid, 'chart-history', {
        title: { text: 'objective per trial', textStyle: { fontSize: 13 } },
        tooltip: { trigger: 'item', formatter: function (p) { return p.data[2] + ': ' + fmt(p.data[1]); } },
        legend: { top: 24, data: ['trial', 'best so far'] }, grid: { left: 50, right: 16, top: 60, bottom: 40 },
        xAxis: { type: 'value', name: 'trial #', nameLocation: 'middle', nameGap: 24, minInterval: 1 },
        yAxis: { type: 'value', scale: true, name: M.study.metric },
        series: [
          { name: 'trial', type: 'scatter', data: M.history.map(function (h) { return [h.n, h.objective, h.trial]; }) },
          { name: 'best so far', type: 'line', step: 'end', showSymbol: false, data: M.history.filter(function (h) { return h.best !== null; }).map(function (h) { return [h.n, h.best, h.trial]; }) }
        ]
      });
    } else { grid.appendChild(el('p', { cls: 'note', text: 'No finished trial yet.' })); }
    var timed = M.trials.filter(function (t) { return t.start !== undefined; });
    if (timed.length) {
      var lanes = [];
      timed.forEach(function (t) { if (lanes.indexOf(t.lane) < 0) { lanes.push(t.lane); } });
      lanes.sort();
      var colors = { COMPLETED: '#2e7d32', PRUNED: '#f9a825', FAILED: '#c62828', RUNNING: '#1565c0', INTERRUPTED: '#6a1b9a' };
      chart(grid, 'chart-timeline', {
        title: { text: 'trials per slot', textStyle: { fontSize: 13 } },
        tooltip: { formatter: function (p) { return p.data.name + ' ' + p.data.state + ': ' + fmt(p.value[1], 1) + '–' + fmt(p.value[2], 1) + ' s'; } },
        grid: { left: 10, right: 16, top: 40, bottom: 40, containLabel: true },
        xAxis: { type: 'value', name: 's', min: 0 }, yAxis: { type: 'category', data: lanes },
        series: [{
          type: 'custom', encode: { x: [1, 2], y: 0 },
          renderItem: function (params, api) {
            var start = api.coord([api.value(1), api.value(0)]), end = api.coord([api.value(2), api.value(0)]);
            var h = api.size([0, 1])[1] * 0.6;
            var rect = echarts.graphic.clipRectByRect({ x: start[0], y: start[1] - h / 2, width: Math.max(end[0] - start[0], 1), height: h },
              { x: params.coordSys.x, y: params.coordSys.y, width: params.coordSys.width, height: params.coordSys.height });
            return rect && { type: 'rect', shape: rect, style: api.style() };
          },
          data: timed.map(function (t) { return { name: t.id, state: t.state, value: [lanes.indexOf(t.lane), t.start, t.end], itemStyle: { color: colors[t.state] || '#888' } }; })
        }]
      });
    }
  }

  function renderCurves() {
    var sec = section('curves', 'Learning curves', 'Every trial\'s curve of its latest attempt; a pin marks the epoch a rule stopped the trial, labelled with the rule.');
    var sel = el('select', { id: 'curve-metric', 'aria-label': 'curve metric' });
    [['objective', M.study.metric], ['valLoss', 'val_loss'], ['trainLoss', 'train_loss'], ['valAccuracy', 'val_accuracy']].forEach(function (m) {
      var o = el('option', { value: m[0], text: m[1] }); if (m[0] === curveMetric) { o.selected = true; } sel.appendChild(o);
    });
    sel.addEventListener('change', function () { curveMetric = sel.value; renderCurves(); });
    sec.appendChild(el('div', { cls: 'filters' }, [sel]));
    var byId = {};
    M.trials.forEach(function (t) { byId[t.id] = t; });
    var ids = Object.keys(M.curves);
    if (!ids.length) { sec.appendChild(el('p', { cls: 'note', text: 'No epoch record yet.' })); return; }
    var series = ids.map(function (id) {
      var t = byId[id] || { state: '' };
      var pts = M.curves[id].map(function (p) { return [p.epoch, p[curveMetric]]; });
      var s = { name: id, type: 'line', showSymbol: false, data: pts, lineStyle: { width: t.state === 'COMPLETED' ? 2 : 1 } };
      if (t.stop) {
        var at = M.curves[id].filter(function (p) { return p.epoch === t.stop.epoch; })[0];
        if (at && at[curveMetric] !== null) {
          s.markPoint = { symbolSize: 28, label: { show: false }, data: [{ coord: [t.stop.epoch, at[curveMetric]], value: t.stop.rule, name: id + ' stopped: ' + t.stop.rule + '@' + t.stop.epoch }] };
        }
      }
      return s;
    });
    chart(sec, 'chart-curves', {
      tooltip: { trigger: 'item', formatter: function (p) { return p.componentType === 'markPoint' ? p.name : p.seriesName + ' epoch ' + p.data[0] + ': ' + fmt(p.data[1]); } },
      legend: { type: 'scroll', bottom: 0 }, grid: { left: 55, right: 20, top: 20, bottom: 60 },
      xAxis: { type: 'value', name: 'epoch', minInterval: 1, min: 1 }, yAxis: { type: 'value', scale: true },
      series: series
    }, 'tall');
  }

  function axisFor(p, values) {
    if (numeric(values)) { return { type: 'value', scale: true }; }
    var cats = [];
    values.forEach(function (v) { var s = v === undefined || v === null ? '(inactive)' : String(v); if (cats.indexOf(s) < 0) { cats.push(s); } });
    return { type: 'category', data: cats };
  }
  function renderParams() {
    var sec = section('parameters', 'Parameters against the objective', 'Parallel coordinates of every finished trial with an objective, then one slice plot per parameter.');
    var done = M.trials.filter(function (t) { return t.objective !== null && t.state !== 'RUNNING' && t.state !== 'QUEUED'; });
    if (!done.length || !M.params.length) { sec.appendChild(el('p', { cls: 'note', text: 'No finished trial with an objective yet.' })); return; }
    var axes = M.params.map(function (p, i) {
      var a = axisFor(p, done.map(function (t) { return t.params[p]; }));
      a.dim = i; a.name = p; return a;
    });
    axes.push({ dim: M.params.length, name: M.study.metric, type: 'value', scale: true });
    function val(a, v) { return a.type === 'category' ? (v === undefined || v === null ? '(inactive)' : String(v)) : v; }
    chart(sec, 'chart-parallel', {
      parallelAxis: axes, parallel: { left: 40, right: 60, top: 40, bottom: 30 },
      visualMap: { show: false, dimension: M.params.length, min: Math.min.apply(null, done.map(function (t) { return t.objective; })), max: Math.max.apply(null, done.map(function (t) { return t.objective; })), inRange: { color: ['#d94e5d', '#eac736', '#50a3ba'].reverse() } },
      series: [{ type: 'parallel', lineStyle: { width: 1.5, opacity: 0.6 }, data: done.map(function (t) { return axes.slice(0, -1).map(function (a, i) { return val(a, t.params[M.params[i]]); }).concat([t.objective]); }) }]
    });
    var grid = el('div', { cls: 'grid3' });
    sec.appendChild(grid);
    M.params.forEach(function (p, i) {
      var a = axisFor(p, done.map(function (t) { return t.params[p]; }));
      chart(grid, 'chart-slice-' + i, {
        title: { text: p, textStyle: { fontSize: 12 } }, grid: { left: 50, right: 12, top: 30, bottom: 30 },
        tooltip: { formatter: function (q) { return q.data[2] + ': ' + p + '=' + q.data[0] + ', ' + fmt(q.data[1]); } },
        xAxis: a, yAxis: { type: 'value', scale: true },
        series: [{ type: 'scatter', symbolSize: 8, data: done.map(function (t) { return [val(a, t.params[p]), t.objective, t.id]; }) }]
      }, 'small');
    });
  }

  function renderImportance() {
    var imp = M.importance;
    var names = Object.keys(imp.values || {});
    var sec = section('importance', 'Parameter importance', 'Method: ' + imp.method + '; fitted on ' + imp.trials + ' completed trials.');
    if (!names.length) { sec.appendChild(el('p', { cls: 'note', text: 'Needs at least 4 completed trials.' })); return; }
    names.sort(function (a, b) { return imp.values[a] - imp.values[b]; });
    chart(sec, 'chart-importance', {
      grid: { left: 10, right: 30, top: 10, bottom: 20, containLabel: true }, tooltip: {},
      xAxis: { type: 'value', max: 1 }, yAxis: { type: 'category', data: names },
      series: [{ type: 'bar', data: names.map(function (n) { return imp.values[n]; }), label: { show: true, position: 'right', formatter: function (p) { return (p.value * 100).toFixed(0) + '%'; } } }]
    }, 'small');
  }

  function renderFeatureImportance() {
    var fi = M.study.featureImportance;
    var sec = section('feature-importance', 'Feature importance of the best model', fi ? 'Method: ' + fi.method + '; trial ' + fi.trial + ', ' + fi.metric + ' ' + fmt(fi.baseline) + ' unshuffled. Bars: the mean drop of ' + fi.metric + ' when the feature is shuffled (whiskers: one standard deviation over the shuffles); the top ' + Math.min(TOP_FEATURES, fi.values.length) + ' of ' + fi.values.length + '.' : null);
    if (!fi || !fi.values || !fi.values.length) { sec.appendChild(el('p', { cls: 'note', text: 'Computed with the refit of the best trial at the end of a study (or by ./gradtune refit RUN_DIR).' })); return; }
    var top = fi.values.slice(0, TOP_FEATURES).reverse();
    chart(sec, 'chart-feature-importance', {
      grid: { left: 10, right: 40, top: 10, bottom: 20, containLabel: true },
      tooltip: { formatter: function (p) { var v = top[p.dataIndex]; return v.feature + ': mean drop ' + fmt(v.mean_drop) + ' ± ' + fmt(v.std) + (v.columns ? ' (' + v.columns + ' columns)' : ''); } },
      xAxis: { type: 'value' }, yAxis: { type: 'category', data: top.map(function (v) { return v.feature; }) },
      series: [
        { type: 'bar', data: top.map(function (v) { return v.mean_drop; }), label: { show: true, position: 'right', formatter: function (p) { return fmt(p.value, 3); } } },
        { type: 'custom', name: 'std', renderItem: function (params, api) {
          var lo = api.coord([api.value(1), api.value(0)]); var hi = api.coord([api.value(2), api.value(0)]); var h = api.size([0, 1])[1] * 0.3;
          return { type: 'group', children: [{ type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: { stroke: '#333' } }, { type: 'line', shape: { x1: hi[0], y1: hi[1] - h / 2, x2: hi[0], y2: hi[1] + h / 2 }, style: { stroke: '#333' } }] };
        }, encode: { x: [1, 2], y: 0 }, data: top.map(function (v, i) { return [i, v.mean_drop - v.std, v.mean_drop + v.std]; }) }
      ]
    }, 'small');
  }

  function renderGradients() {
    var sec = section('gradients', 'Gradient view', 'Per layer (input at the bottom, output at the top) and epoch: log10 of the weight gradient\'s L2 norm and of the update ratio ||update|| / ||W||, for the best trial, every trial diagnosed with vanishing or exploding gradients and, for their depth, the best healthy trial with as many layers; one colour scale for all. A vanishing gradient fades toward the input layers. Below: dead (ReLU) and saturated (sigmoid/tanh) unit fractions at the last epoch. Add any other trial with the selector.');
    if (!M.gradients.length) { sec.appendChild(el('p', { cls: 'note', text: 'No epoch record with layer statistics yet.' })); return; }
    var others = M.gradients.filter(function (g) { return !g.shown && extraGradients.indexOf(g.trial) < 0; });
    if (others.length) {
      var pick = el('select', { id: 'gradient-add', 'aria-label': 'add a trial to the gradient view' });
      pick.appendChild(el('option', { value: '', text: 'add a trial …' }));
      others.forEach(function (g) { pick.appendChild(el('option', { value: g.trial, text: g.trial + ' ' + g.role + ' — ' + paramText(g.params) })); });
      pick.addEventListener('change', function () { if (pick.value) { window.gradtuneShowGradients([pick.value]); } });
      sec.appendChild(el('div', { cls: 'filters' }, [pick]));
    }
    function range(key) {
      var vals = [];
      M.gradients.forEach(function (g) { g[key].forEach(function (d) { if (d[2] !== null) { vals.push(d[2]); } }); });
      return vals.length ? [Math.floor(Math.min.apply(null, vals)), Math.ceil(Math.max.apply(null, vals))] : [-8, 0];
    }
    var gr = range('gradL2'), ur = range('updateRatio');
    var grid = el('div', { cls: 'grid2' });
    sec.appendChild(grid);
    M.gradients.forEach(function (g, i) {
      if (!g.shown && extraGradients.indexOf(g.trial) < 0) { return; }
      var card = el('div', { cls: 'gcard', id: 'gradient-' + g.trial }, [
        el('h3', { text: g.trial + ' — ' + g.role }), el('p', { cls: 'note', text: paramText(g.params) })]);
      grid.appendChild(card);
      function heat(id, title, key, r) {
        chart(card, id, {
          title: { text: title, textStyle: { fontSize: 12 } },
          tooltip: { formatter: function (p) { return g.layers[p.data[1]] + ', epoch ' + g.epochs[p.data[0]] + ': 10^' + fmt(p.data[2], 2); } },
          grid: { left: 10, right: 60, top: 28, bottom: 28, containLabel: true },
          xAxis: { type: 'category', data: g.epochs.map(String), name: 'epoch' }, yAxis: { type: 'category', data: g.layers, axisLabel: { fontSize: 10 } },
          visualMap: { min: r[0], max: r[1], calculable: false, orient: 'vertical', right: 0, top: 'middle', itemHeight: 100, text: ['10^' + r[1], '10^' + r[0]], textStyle: { fontSize: 10 }, inRange: { color: ['#0b1d51', '#2c7fb8', '#7fcdbb', '#ffffcc', '#fd8d3c', '#bd0026'] } },
          series: [{ type: 'heatmap', data: g[key].filter(function (d) { return d[2] !== null; }) }]
        }, 'heat');
      }
      heat('chart-grad-' + i, 'gradient L2 (log10)', 'gradL2', gr);
      heat('chart-ratio-' + i, 'update ratio (log10)', 'updateRatio', ur);
      var hasUnits = g.dead.concat(g.saturated).some(function (v) { return v !== null; });
      if (hasUnits) {
        chart(card, 'chart-units-' + i, {
          title: { text: 'dead / saturated fraction, last epoch', textStyle: { fontSize: 12 } }, tooltip: { trigger: 'axis' },
          legend: { top: 0, right: 0, data: ['dead', 'saturated'] }, grid: { left: 10, right: 16, top: 30, bottom: 10, containLabel: true },
          xAxis: { type: 'value', min: 0, max: 1 }, yAxis: { type: 'category', data: g.layers, axisLabel: { fontSize: 10 } },
          series: [{ name: 'dead', type: 'bar', data: g.dead }, { name: 'saturated', type: 'bar', data: g.saturated }]
        }, 'small');
      } else {
        card.appendChild(el('p', { cls: 'note', text: 'No dead or saturated unit statistics for these activations.' }));
      }
    });
  }

  function renderCompare() {
    var old = document.getElementById('compare');
    if (!M.compare) { if (old) { old.remove(); } return; }
    var c = M.compare;
    var sec = section('compare', 'Compared with ' + c.otherDir, 'The best trial then (' + c.otherStudy + ') and now, and the parameters that moved.');
    var tbl = el('table', { cls: 'kv', id: 'compare-table' });
    function row(k, v) { tbl.appendChild(el('tr', null, [el('th', { text: k }), el('td', { text: v })])); }
    row('best then', (c.bestThen.trialId || '—') + ': ' + fmt(c.bestThen.objective));
    row('best now', (c.bestNow.trialId || '—') + ': ' + fmt(c.bestNow.objective));
    if (c.delta !== undefined) { row('change', (c.delta >= 0 ? '+' : '') + fmt(c.delta)); }
    sec.appendChild(tbl);
    var moved = el('table', { cls: 'board', id: 'compare-moved' });
    moved.appendChild(el('tr', null, [el('th', { text: 'parameter' }), el('th', { text: 'then' }), el('th', { text: 'now' })]));
    c.moved.forEach(function (m) { moved.appendChild(el('tr', null, [el('td', { text: m.param }), el('td', { text: m.then }), el('td', { text: m.now })])); });
    if (!c.moved.length) { sec.appendChild(el('p', { cls: 'note', text: 'No parameter moved.' })); } else { sec.appendChild(el('div', { cls: 'scroll' }, [moved])); }
  }

  function render() {
    Object.keys(charts).forEach(function (id) { charts[id].dispose(); });
    charts = {};
    renderHeader();
    renderSummary();
    renderLeaderboard();
    renderHistory();
    renderCurves();
    renderParams();
    renderImportance();
    renderFeatureImportance();
    renderGradients();
    renderCompare();
  }

  /** For tests and the curious: every chart's id, series count and data points. */
  window.gradtuneChartStats = function () {
    return Object.keys(charts).map(function (id) {
      var opt = charts[id].getOption();
      var points = 0;
      (opt.series || []).forEach(function (s) { points += (s.data || []).length; });
      return { id: id, series: (opt.series || []).length, points: points };
    });
  };
  window.gradtuneModel = function () { return M; };
  /** Adds trials' cards to the gradient view. */
  window.gradtuneShowGradients = function (ids) {
    ids.forEach(function (id) { if (extraGradients.indexOf(id) < 0) { extraGradients.push(id); } });
    Object.keys(charts).forEach(function (id) { if (id.indexOf('chart-grad-') === 0 || id.indexOf('chart-ratio-') === 0 || id.indexOf('chart-units-') === 0) { charts[id].dispose(); delete charts[id]; } });
    renderGradients();
  };

  render();
  window.addEventListener('resize', function () { Object.keys(charts).forEach(function (id) { charts[id].resize(); }); });
  if (M.live) {
    var last = M.generated;
    setInterval(function () {
      fetch('data.json', { cache: 'no-store' }).then(function (r) { return r.ok ? r.json() : null; }).then(function (m) {
        if (m && m.generated !== last) { last = m.generated; M = m; render(); }
      }).catch(function () {
        var b = document.getElementById('live-badge');
        if (b) { b.textContent = 'live · disconnected (the study ended or the driver stopped)'; }
      });
    }, 1000);
  }
}());
