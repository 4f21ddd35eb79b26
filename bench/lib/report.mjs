// Results: medians / min / max per side, ours ÷ MQTT.js ratios of the paired (interleaved) repetitions,
// the issue's targets checked, and the Markdown table and SVG chart made from them.
import { bestRatios, runLoad } from './bounds.mjs';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const isNum = (x) => typeof x === 'number' && Number.isFinite(x);
const stats = (xs) => {
  const v = xs.filter(isNum);
  return v.length ? { median: median(v), min: Math.min(...v), max: Math.max(...v), n: v.length } : null;
};
const SIDES = ['ours', 'mqttjs'];
const RATE_KEYS = new Set(['e2e_msgs_per_s', 'e2e_MB_per_s']);
const LOAD_KEYS = ['broker_busy', 'machine_busy', 'broker_ceiling', 'machine_ceiling']; // runLoad's fields

/** Builds the result document from the row definitions and the runs of each side. */
export function summarize(meta, rowDefs, runs) {
  const rows = rowDefs.map((def) => {
    const r = runs[def.id];
    const row = { ...def, runs: r, stats: {}, ratios: {}, status: {} };
    for (const side of SIDES) {
      const list = r[side];
      const ok = list.filter((x) => x.status === 'ok');
      const keys = new Set(list.flatMap((x) => Object.keys(x.metrics)));
      row.stats[side] = Object.fromEntries([...keys].map((k) => [k, stats(ok.map((x) => x.metrics[k]))]));
      row.status[side] = sideStatus(list);
    }
    for (const m of def.metrics) {
      const pairs = [];
      for (let i = 0; i < Math.min(r.ours.length, r.mqttjs.length); i++) {
        const a = r.ours[i];
        const b = r.mqttjs[i];
        if (a.status !== 'ok' || b.status !== 'ok') continue;
        const x = a.metrics[m.key];
        const y = b.metrics[m.key];
        if (isNum(x) && isNum(y) && y !== 0) pairs.push(x / y);
      }
      row.ratios[m.key] = stats(pairs);
    }
    if (def.detail && def.metrics.some((m) => RATE_KEYS.has(m.key) && m.target?.ratio))
      row.bounds = rowBounds(r, meta.machine?.nproc ?? 1);
    return row;
  });
  const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
  const targets = [];
  for (const row of rows) {
    for (const m of row.metrics) {
      if (!m.target) continue;
      targets.push(checkTarget(row, m, rows, byId));
    }
  }
  return { meta, rows, targets };
}

/** The row's load per side and the best ratio the broker and the machine allow (see bounds.mjs). */
function rowBounds(r, cores) {
  const load = {};
  for (const side of SIDES) {
    const runs = r[side].filter((x) => x.status === 'ok').map((x) => runLoad(x.metrics, cores));
    const known = runs.filter(Boolean);
    load[side] = Object.fromEntries(LOAD_KEYS.map((k) => [k, stats(known.map((l) => l[k]))]));
  }
  const best = bestRatios(r.ours, r.mqttjs, cores);
  const byBroker = best.filter((b) => b.bound === 'broker').length;
  return {
    cores,
    load,
    best: stats(best.map((b) => b.ratio)),
    bound: best.length ? (byBroker * 2 >= best.length ? 'broker' : 'machine') : undefined,
  };
}

function sideStatus(list) {
  if (!list.length) return 'not run';
  const count = (s) => list.filter((x) => x.status === s).length;
  if (count('n/a') === list.length) return `not available: ${list[0].reason}`;
  const parts = [];
  if (count('ok')) parts.push(`ok ${count('ok')}/${list.length}`);
  if (count('dnf')) parts.push(`did not finish ${count('dnf')}/${list.length}`);
  if (count('failed'))
    parts.push(`failed ${count('failed')}/${list.length}: ${list.find((x) => x.status === 'failed').reason}`);
  const notes = [...new Set(list.filter((x) => x.status === 'ok' && x.reason).map((x) => x.reason))];
  if (notes.length) parts.push(notes.join('; '));
  return parts.join(', ');
}

function checkTarget(row, m, rows, byId) {
  const t = m.target;
  const ours = row.stats.ours[m.key]?.median;
  const theirs = row.stats.mqttjs[m.key]?.median;
  const ratio = row.ratios[m.key]?.median;
  const out = { row: row.id, metric: m.key, label: m.label, text: '', value: null, met: null, note: '' };
  if (t.ratio !== undefined) {
    out.text = `ours/MQTT.js ${m.better === 'higher' ? '≥' : '≤'} ${t.ratio}`;
    if (isNum(ratio)) {
      out.value = ratio;
      out.met = m.better === 'higher' ? ratio >= t.ratio : ratio <= t.ratio;
    } else if (isNum(ours) && !isNum(theirs) && /did not finish/.test(row.status.mqttjs)) {
      out.met = true;
      out.note = 'MQTT.js did not finish';
    } else out.note = isNum(ours) ? 'no MQTT.js value' : 'no value for ours';
  } else if (t.ours !== undefined) {
    out.text = t.text;
    if (isNum(ours)) {
      out.value = ours;
      out.met = t.below ? ours < t.ours : ours >= t.ours;
    }
  } else if (t.burst !== undefined) {
    const first = rows.find((r) => r.group === 'burst' && r.burstIndex === 0);
    out.text = `ours cost at ${row.id.replace('burst-', '')} ≤ ${t.burst} × cost at ${first?.id.replace('burst-', '')}`;
    const base = first?.stats.ours[m.key]?.median;
    if (isNum(ours) && isNum(base)) {
      out.value = ours / base;
      out.met = out.value <= t.burst;
    }
    const theirsBase = first?.stats.mqttjs[m.key]?.median;
    out.note =
      isNum(theirs) && isNum(theirsBase)
        ? `MQTT.js: ${fmt(theirs / theirsBase)}×`
        : /did not finish/.test(row.status.mqttjs)
          ? 'MQTT.js did not finish'
          : '';
  }
  if (out.met === false && RATE_KEYS.has(m.key) && row.bounds?.best) {
    const b = row.bounds;
    out.note =
      `at most ≈ ${fmt(b.best.median)} × possible here: ` +
      (b.bound === 'broker' ? 'mosquitto (one thread) is the limit' : `the ${b.cores} cores are the limit`);
  }
  if (!isNum(ours) && /not available/.test(row.status.ours)) out.note = 'not available';
  void byId;
  return out;
}

export function fmt(x) {
  if (!isNum(x)) return '–';
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a >= 100) return String(Math.round(x));
  if (a >= 10) return String(Math.round(x * 10) / 10);
  if (a >= 1) return String(Math.round(x * 100) / 100);
  return String(Math.round(x * 1000) / 1000);
}

/** How the tables name a side: in the Node-RED rows the other side is Node-RED's core MQTT nodes. */
const sideLabel = (row, side) =>
  side === 'ours' ? 'ours' : row.group === 'nodered' ? 'core nodes' : 'MQTT.js';

const ratioText = (s) => (s ? `**${fmt(s.median)}** (${fmt(s.min)}–${fmt(s.max)})` : 'n/a');

function cell(row, side, key) {
  const s = row.stats[side][key];
  if (s) return fmt(s.median);
  const st = row.status[side];
  if (st.startsWith('not available')) return 'not available';
  if (/did not finish/.test(st) && !/ok /.test(st)) return 'did not finish';
  return '–';
}

/** In how many runs the broker logged that it dropped messages for the subscriber ("n/N runs"). */
function dropRuns(row, side) {
  const runs = row.runs[side].filter((r) => typeof r.metrics.broker_drop_notices === 'number');
  if (!runs.length) return '–';
  const n = runs.filter((r) => r.metrics.broker_drop_notices > 0).length;
  return n ? `${n}/${runs.length} runs` : '0';
}

export function markdown(res) {
  const { meta } = res;
  const L = [];
  L.push('# node-red-contrib-qmqtt vs MQTT.js — benchmark results', '');
  L.push(
    `${meta.date.slice(0, 16).replace('T', ' ')} UTC, ${meta.mode} mode, ${meta.reps} repetition(s) interleaved ` +
      `(ours, MQTT.js, ours, …), ${meta.duration_s} s. Machine: ${meta.machine.nproc} × ${meta.machine.cpu}, ` +
      `${meta.machine.mem_GiB} GiB, Linux ${meta.machine.kernel}, load average ${meta.machine.loadavg_start[0]} at start / ` +
      `${meta.machine.loadavg_end[0]} at end; Node.js ${meta.node}; mosquitto ${meta.mosquitto}; ` +
      `MQTT.js ${meta.mqtt}; Node-RED ${meta['node-red']}; node-red-contrib-qmqtt ${meta.ours}.`,
    '',
  );
  L.push(
    'Ratios are ours ÷ MQTT.js per repetition pair: **median** (min–max). For msgs/s higher is better for us; ' +
      'for times, CPU and memory lower is better. In the Node-RED rows "MQTT.js" is Node-RED\'s core MQTT nodes.',
    '',
  );
  L.push(
    '| scenario | metric | better | ours | MQTT.js | ours ÷ MQTT.js | target |',
    '|---|---|---|---:|---:|---:|---|',
  );
  for (const row of res.rows) {
    row.metrics.forEach((m, i) => {
      const t = res.targets.find((x) => x.row === row.id && x.metric === m.key);
      const tt = t
        ? `${t.met === true ? '✅' : t.met === false ? '❌' : '–'} ${t.text}${t.value !== null && t.value !== undefined && !t.text.startsWith('ours/') ? ` (${fmt(t.value)}${t.text.includes('cost') ? '×' : ''})` : ''}${t.note ? ` (${t.note})` : ''}`
        : '';
      L.push(
        `| ${i === 0 ? row.id : ''} | ${m.label} | ${m.better} | ${cell(row, 'ours', m.key)} | ${cell(row, 'mqttjs', m.key)} | ${ratioText(row.ratios[m.key])} | ${tt} |`,
      );
    });
  }
  L.push('', '## Delivery and CPU per message (medians)', '');
  L.push(
    'CPU µs per message: publisher and subscriber from `process.cpuUsage()` of their own processes, broker from ' +
      '`/proc/<pid>/stat` (10 ms ticks); Node-RED rows add the Node-RED process (also `/proc`). Lost = sent − ' +
      'unique received; broker drops = runs in which mosquitto logged "Outgoing messages are being dropped" ' +
      '(its queue for the subscriber was full: perf-anchor F9), i.e. the loss happened in the broker, not in a client.',
    '',
  );
  L.push(
    '| scenario | side | delivered | lost | broker drops | dups | msgs/s | pub µs/msg | sub µs/msg | broker µs/msg | Node-RED µs/msg | status |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  );
  for (const row of res.rows.filter((r) => r.detail)) {
    for (const side of SIDES) {
      const c = (k) => cell(row, side, k);
      const delivered = row.stats[side].delivered_pct ? `${c('delivered_pct')} %` : c('delivered_pct');
      L.push(
        `| ${side === 'ours' ? row.id : ''} | ${sideLabel(row, side)} | ${delivered} | ${c('lost')} | ${dropRuns(row, side)} | ${c('dups')} | ${c('e2e_msgs_per_s')} | ${c('pub_cpu_us_per_msg')} | ${c('sub_cpu_us_per_msg')} | ${c('broker_cpu_us_per_msg')} | ${row.group === 'nodered' ? c('relay_cpu_us_per_msg') : ''} | ${row.status[side]} |`,
      );
    }
  }
  L.push(...boundsSection(res));
  L.push('', '## Configuration', '');
  L.push('| scenario | broker | ours | MQTT.js |', '|---|---|---|---|');
  for (const row of res.rows)
    L.push(`| ${row.id}: ${row.title} | ${row.broker} | ${row.config.ours} | ${row.config.mqttjs} |`);
  L.push('', 'Brokers (one mosquitto each, loopback, started by the bench; mosquitto defaults except):', '');
  for (const [name, b] of Object.entries(meta.brokers)) {
    const s =
      Object.entries(b.settings)
        .map(([k, v]) => `\`${k} ${v}\``)
        .join(', ') || 'nothing';
    L.push(`- **${name}**: ${s} — ${b.about}`);
  }
  L.push(
    '',
    'Publish window W: at most W publishes awaiting their completion (MQTT.js callback, our promise). ' +
      'msgs/s = unique messages delivered ÷ time from the first publish to the last delivery.',
    '',
  );
  return L.join('\n');
}

const pct = (s) => (s ? `${Math.round(s.median * 100)} %` : '–');

/** "What bounds the rate": how busy the broker and the machine were, and the ceilings that follow. */
function boundsSection(res) {
  const rows = res.rows.filter((r) => r.bounds);
  if (!rows.length) return [];
  const cores = rows[0].bounds.cores;
  const L = ['', '## What bounds the rate (estimates)', ''];
  L.push(
    'mosquitto runs on one thread: at the CPU it spent per message it cannot pass more than 1,000,000 ÷ (its µs ' +
      `per message) messages a second, and all the processes of a row together cannot use more than the ${cores} ` +
      'cores. "Busy" is CPU time ÷ wall time while the row ran (the broker of one core; all processes of the ' +
      "machine). The best possible ratio is the lower of our two ceilings ÷ the other side's measured rate: what " +
      'this broker and machine allow however little our side cost. A row near its ceiling is bound by them, not ' +
      'by the client.',
    '',
  );
  L.push(
    '| scenario | side | msgs/s | mosquitto busy | machine busy | ceiling: mosquitto | ceiling: machine | best possible ours ÷ theirs |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const row of rows) {
    for (const side of SIDES) {
      const l = row.bounds.load[side];
      const best =
        side === 'ours' && row.bounds.best
          ? `${ratioText(row.bounds.best)} (${row.bounds.bound === 'broker' ? 'mosquitto' : 'machine'})`
          : '';
      L.push(
        `| ${side === 'ours' ? row.id : ''} | ${sideLabel(row, side)} | ${cell(row, side, 'e2e_msgs_per_s')} | ${pct(l.broker_busy)} | ${pct(l.machine_busy)} | ${fmt(l.broker_ceiling?.median)} | ${fmt(l.machine_ceiling?.median)} | ${best} |`,
      );
    }
  }
  return L;
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Horizontal log-scale bar chart of our advantage per row and metric (×; right of 1 = ours better). */
export function svgChart(res) {
  const lines = [];
  for (const row of res.rows) {
    for (const [i, m] of row.metrics.entries()) {
      if (i > 0 && !m.target && row.group !== 'nodered') continue;
      const r = row.ratios[m.key];
      const inv = m.better === 'lower';
      const adv = r
        ? { median: inv ? 1 / r.median : r.median, lo: inv ? 1 / r.max : r.min, hi: inv ? 1 / r.min : r.max }
        : null;
      const t = res.targets.find((x) => x.row === row.id && x.metric === m.key);
      const targetAdv = m.target?.ratio !== undefined ? (inv ? 1 / m.target.ratio : m.target.ratio) : null;
      let missing = '';
      if (!r) {
        if (row.status.ours.startsWith('not available')) missing = 'ours: not available yet';
        else if (/did not finish/.test(row.status.mqttjs)) missing = 'MQTT.js did not finish';
        else if (/did not finish/.test(row.status.ours)) missing = 'ours did not finish';
        else missing = 'no ratio';
      }
      lines.push({ label: `${row.id} · ${m.label}`, adv, targetAdv, met: t?.met, missing });
    }
  }
  const W = 900;
  const left = 330;
  const right = 70;
  const top = 58;
  const rowH = 20;
  const H = top + lines.length * rowH + 40;
  const lo = 1 / 100;
  const hi = 1000;
  const x = (v) =>
    left +
    ((Math.log10(Math.min(hi, Math.max(lo, v))) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) *
      (W - left - right);
  const out = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">node-red-contrib-qmqtt vs MQTT.js ${esc(res.meta.mqtt)}: factor in our favour (log scale)</text>`,
  );
  out.push(
    `<text x="${W / 2}" y="34" text-anchor="middle" fill="#555">msgs/s: ours ÷ MQTT.js; time, CPU, memory: MQTT.js ÷ ours. Right of 1 = ours better. Bar = median, whisker = min–max of ${res.meta.reps} interleaved pairs; | = target</text>`,
  );
  for (const v of [0.01, 0.1, 1, 10, 100, 1000]) {
    out.push(
      `<line x1="${x(v)}" y1="${top - 6}" x2="${x(v)}" y2="${top + lines.length * rowH}" stroke="${v === 1 ? '#000' : '#ddd'}"/>`,
    );
    out.push(`<text x="${x(v)}" y="${top - 10}" text-anchor="middle" fill="#555">${v}×</text>`);
  }
  lines.forEach((l, i) => {
    const y = top + i * rowH;
    out.push(`<text x="${left - 6}" y="${y + 14}" text-anchor="end">${esc(l.label)}</text>`);
    if (!l.adv) {
      out.push(
        `<text x="${x(1) + 6}" y="${y + 14}" fill="#777" font-style="italic">${esc(l.missing)}</text>`,
      );
      return;
    }
    const a = x(1);
    const b = x(l.adv.median);
    const color = l.met === false ? '#d9534f' : l.adv.median >= 1 ? '#2e8b57' : '#e0a030';
    out.push(
      `<rect x="${Math.min(a, b)}" y="${y + 4}" width="${Math.max(1, Math.abs(b - a))}" height="${rowH - 8}" fill="${color}"/>`,
    );
    out.push(`<line x1="${x(l.adv.lo)}" y1="${y + 10}" x2="${x(l.adv.hi)}" y2="${y + 10}" stroke="#333"/>`);
    if (l.targetAdv)
      out.push(
        `<line x1="${x(l.targetAdv)}" y1="${y + 2}" x2="${x(l.targetAdv)}" y2="${y + rowH - 2}" stroke="#000" stroke-width="2"/>`,
      );
    const tx = Math.max(a, b, x(l.adv.hi), l.targetAdv ? x(l.targetAdv) : 0) + 4;
    out.push(`<text x="${tx}" y="${y + 14}">${fmt(l.adv.median)}×</text>`);
  });
  const ly = top + lines.length * rowH + 22;
  out.push(
    `<rect x="${left}" y="${ly - 9}" width="10" height="10" fill="#2e8b57"/><text x="${left + 14}" y="${ly}">ours better</text>`,
  );
  out.push(
    `<rect x="${left + 100}" y="${ly - 9}" width="10" height="10" fill="#e0a030"/><text x="${left + 114}" y="${ly}">MQTT.js better</text>`,
  );
  out.push(
    `<rect x="${left + 220}" y="${ly - 9}" width="10" height="10" fill="#d9534f"/><text x="${left + 234}" y="${ly}">target missed</text>`,
  );
  out.push('</svg>');
  return out.join('\n') + '\n';
}
