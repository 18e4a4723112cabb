// Insights view: suggestions per day (stacked bars: accepted, dismissed, waiting) as inline SVG,
// the acceptance rate, and event counts by type. No chart library: a few rectangles and labels.

import { api } from './api.js';
import { $, h, svg } from './dom.js';
import { eventTypeLabel, sourceLabel } from './labels.js';

let last;
let observer;

export async function loadInsights() {
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  last = await api('GET', `/api/stats?days=30&tz=${encodeURIComponent(tz)}`);
  render(last);
  if (!observer && 'ResizeObserver' in window) {
    let width = 0;
    observer = new ResizeObserver(([entry]) => {
      const w = Math.round(entry.contentRect.width);
      if (last && Math.abs(w - width) > 4) {
        width = w;
        drawChart(last);
      }
    });
    observer.observe($('#chart'));
  }
}

const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const fmtDay = (iso) => dayFormat.format(new Date(`${iso}T00:00:00Z`));
const pct = (rate) => (rate === null ? '—' : `${Math.round(rate * 100)}%`);

function render(stats) {
  $('#insights-range').textContent = `${fmtDay(stats.from)} – ${fmtDay(stats.to)}`;
  const s = stats.suggestions;
  $('#kpis').replaceChildren(
    kpi('Suggestions', String(s.total), 'last 30 days'),
    kpi(
      'Acceptance rate',
      pct(s.acceptanceRate),
      s.accepted + s.dismissed > 0 ? `${s.accepted} of ${s.accepted + s.dismissed} acted on` : 'nothing acted on yet',
      ring(s.acceptanceRate),
    ),
    kpi('Waiting for you', String(s.new), 'new suggestions'),
    kpi(
      'Events',
      String(stats.events.total),
      Object.entries(stats.events.bySource)
        .map(([k, v]) => `${sourceLabel(k)} ${v}`)
        .join(' · ') || 'none yet',
    ),
  );
  drawChart(stats);
  const tbody = $('#bytype tbody');
  tbody.replaceChildren(
    ...(stats.events.byType.length
      ? stats.events.byType.map((r) =>
          h(
            'tr',
            {},
            h('td', {}, h('span', { class: `badge badge-${r.source}` }, sourceLabel(r.source))),
            h('td', {}, eventTypeLabel(r.eventType), h('span', { class: 'muted small' }, ` ${r.eventType}`)),
            h('td', { class: 'num' }, String(r.count)),
          ),
        )
      : [h('tr', {}, h('td', { colspan: '3', class: 'muted' }, 'No events in the last 30 days.'))]),
  );
}

function kpi(label, value, note, extra) {
  return h(
    'div',
    { class: 'kpi card' },
    h(
      'div',
      { class: 'kpi-text' },
      h('p', { class: 'kpi-label' }, label),
      h('p', { class: 'kpi-value' }, value),
      h('p', { class: 'kpi-note' }, note),
    ),
    extra ?? null,
  );
}

/** A small donut of the acceptance rate (decorative: the number next to it says it). */
function ring(rate) {
  const r = 22;
  const c = 2 * Math.PI * r;
  const filled = rate === null ? 0 : rate * c;
  return svg(
    'svg',
    { class: 'ring', viewBox: '0 0 56 56', width: 56, height: 56, 'aria-hidden': 'true', focusable: 'false' },
    svg('circle', { cx: 28, cy: 28, r, class: 'ring-track' }),
    svg('circle', {
      cx: 28,
      cy: 28,
      r,
      class: 'ring-fill',
      'stroke-dasharray': `${filled} ${c}`,
      transform: 'rotate(-90 28 28)',
    }),
  );
}

function niceMax(n) {
  if (n <= 4) return 4;
  const pow = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * pow >= n) return m * pow;
  return 10 * pow;
}

function drawChart(stats) {
  const host = $('#chart');
  const days = stats.suggestions.perDay;
  const width = Math.max(280, Math.round(host.clientWidth || 640));
  const height = width < 500 ? 200 : 240;
  const pad = { top: 12, right: 8, bottom: 28, left: 32 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const max = niceMax(Math.max(...days.map((d) => d.total), 0));
  const slot = innerW / days.length;
  const barW = Math.max(2, Math.min(22, slot * 0.7));
  const y = (v) => pad.top + innerH - (v / max) * innerH;
  const total = stats.suggestions.total;
  const busiest = days.reduce((a, d) => (d.total > a.total ? d : a), days[0]);

  const grid = [0, max / 2, max].map((v) =>
    svg(
      'g',
      { class: 'grid' },
      svg('line', { x1: pad.left, x2: width - pad.right, y1: y(v), y2: y(v) }),
      svg('text', { x: pad.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, String(v)),
    ),
  );

  const labelEvery = width < 500 ? 10 : 5;
  const bars = days.map((d, i) => {
    const x = pad.left + i * slot + (slot - barW) / 2;
    const waiting = d.total - d.accepted - d.dismissed;
    let top = y(0);
    const segment = (value, cls) => {
      if (value <= 0) return null;
      const hgt = (value / max) * innerH;
      top -= hgt;
      return svg('rect', { x, y: top, width: barW, height: Math.max(hgt, 1), class: cls, rx: 1.5 });
    };
    const label = `${fmtDay(d.date)}: ${d.total} suggestion${d.total === 1 ? '' : 's'}, ${d.accepted} accepted, ${d.dismissed} dismissed`;
    return svg(
      'g',
      { class: 'bar' },
      svg('title', {}, label),
      // A full-height transparent target makes thin bars easy to hover.
      svg('rect', { x: pad.left + i * slot, y: pad.top, width: slot, height: innerH, class: 'hit' }),
      segment(d.accepted, 's-accepted'),
      segment(d.dismissed, 's-dismissed'),
      segment(waiting, 's-new'),
      (i % labelEvery === 0 || i === days.length - 1) &&
        (days.length - 1 - i >= labelEvery / 2 || i === days.length - 1)
        ? svg(
            'text',
            { x: pad.left + i * slot + slot / 2, y: height - 8, 'text-anchor': 'middle', class: 'axis' },
            fmtDay(d.date),
          )
        : null,
    );
  });

  const chart = svg(
    'svg',
    {
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-labelledby': 'chart-svg-title chart-svg-desc',
      class: 'chart-svg',
    },
    svg('title', { id: 'chart-svg-title' }, 'Suggestions per day, last 30 days'),
    svg(
      'desc',
      { id: 'chart-svg-desc' },
      total === 0
        ? 'No suggestions in the last 30 days.'
        : `${total} suggestions from ${fmtDay(stats.from)} to ${fmtDay(stats.to)}; ${stats.suggestions.accepted} accepted, ${stats.suggestions.dismissed} dismissed; acceptance rate ${pct(stats.suggestions.acceptanceRate)}; busiest day ${fmtDay(busiest.date)} with ${busiest.total}.`,
    ),
    ...grid,
    ...bars,
  );
  host.replaceChildren(chart);
}
