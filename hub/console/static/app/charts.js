// Charts as SVG, readable without colour: every bar carries its number as text, series are told
// apart by pattern as well as colour, and each chart has its data as a table beside it.

import { html } from "./html.js";
import { formatNumber, t } from "./i18n.js";

// Series j is drawn with class s<j % 6>: a solid fill, then hatch, dots, cross, vertical, grid
// (console.css), so two series never differ by colour alone.
const SERIES = 6;
const cls = (j) => `bar s${j % SERIES}`;

// The fills of the series, defined once per page (a hidden SVG with the patterns).
export function ChartDefs() {
  return html`<svg class="defs" aria-hidden="true" focusable="false" width="0" height="0"><defs>
    <pattern id="p-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect width="6" height="6" class="bg1" /><line x1="0" y1="0" x2="0" y2="6" class="ink" stroke-width="3" /></pattern>
    <pattern id="p-dots" width="6" height="6" patternUnits="userSpaceOnUse">
      <rect width="6" height="6" class="bg2" /><circle cx="3" cy="3" r="1.6" class="ink-fill" /></pattern>
    <pattern id="p-cross" width="8" height="8" patternUnits="userSpaceOnUse">
      <rect width="8" height="8" class="bg3" /><path d="M0 0L8 8M8 0L0 8" class="ink" stroke-width="1.5" /></pattern>
    <pattern id="p-vertical" width="6" height="6" patternUnits="userSpaceOnUse">
      <rect width="6" height="6" class="bg4" /><line x1="3" y1="0" x2="3" y2="6" class="ink" stroke-width="2" /></pattern>
    <pattern id="p-grid" width="8" height="8" patternUnits="userSpaceOnUse">
      <rect width="8" height="8" class="bg5" /><path d="M0 4H8M4 0V8" class="ink" stroke-width="1.2" /></pattern>
  </defs></svg>`;
}

function DataTable({ id, columns, rows }) {
  return html`<details class="as-table"><summary>${t("asTable")}</summary>
    <table class="list" id=${id}><thead><tr>${columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
      <tbody>${rows.map((r) => html`<tr><th scope="row">${r[0]}</th>${r.slice(1).map((v) => html`<td>${v}</td>`)}</tr>`)}</tbody>
    </table></details>`;
}

// Horizontal bars: one row per item, label on the left, value at the bar's end.
export function BarChart({ id, title, rows }) {
  if (!rows.length) {
    return html`<figure class="chart" data-chart=${id}><figcaption>${title}</figcaption><p>${t("none")}</p></figure>`;
  }
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowH = 26;
  const height = rows.length * rowH + 8;
  return html`<figure class="chart" data-chart=${id}>
    <figcaption id=${`${id}-title`}>${title}</figcaption>
    <svg viewBox=${`0 0 640 ${height}`} role="img" aria-labelledby=${`${id}-title`} preserveAspectRatio="xMinYMin meet">
      ${rows.map((r, i) => {
        const w = Math.round((r.value / max) * 360);
        const y = i * rowH + 4;
        return html`<g>
          <text x="210" y=${y + 17} text-anchor="end" class="label">${r.label}</text>
          <rect x="220" y=${y} width=${Math.max(w, 1)} height=${rowH - 8} class="bar s0" />
          <text x=${226 + w} y=${y + 15} class="value">${formatNumber(r.value)}</text>
        </g>`;
      })}
    </svg>
    <${DataTable} id=${`${id}-table`} columns=${[title, t("count")]} rows=${rows.map((r) => [r.label, formatNumber(r.value)])} />
  </figure>`;
}

// Columns of two or more series per period (e.g. recorded and resolved per month).
export function ColumnChart({ id, title, periods, series }) {
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const groupW = 560 / Math.max(1, periods.length);
  const barW = Math.min(36, (groupW - 12) / series.length);
  const plotH = 180;
  return html`<figure class="chart" data-chart=${id}>
    <figcaption id=${`${id}-title`}>${title}</figcaption>
    <svg viewBox="0 0 640 250" role="img" aria-labelledby=${`${id}-title`} preserveAspectRatio="xMinYMin meet">
      <line x1="40" y1=${plotH + 20} x2="620" y2=${plotH + 20} class="axis" />
      ${periods.map((p, i) => html`<g>
        ${series.map((s, j) => {
          const h = Math.round((s.values[i] / max) * (plotH - 20));
          const x = 48 + i * groupW + j * barW;
          return html`<rect x=${x} y=${plotH + 20 - h} width=${barW - 3} height=${Math.max(h, 1)} class=${cls(j)} />
            <text x=${x + (barW - 3) / 2} y=${plotH + 14 - h} text-anchor="middle" class="value">${s.values[i]}</text>`;
        })}
        <text x=${48 + i * groupW + (series.length * barW) / 2} y=${plotH + 38} text-anchor="middle" class="label">${p}</text>
      </g>`)}
      ${series.map((s, j) => html`<g><rect x=${60 + j * 170} y="230" width="16" height="14" class=${cls(j)} /><text x=${82 + j * 170} y="242" class="label">${s.name}</text></g>`)}
    </svg>
    <${DataTable} id=${`${id}-table`} columns=${[t("month"), ...series.map((s) => s.name)]}
      rows=${periods.map((p, i) => [p, ...series.map((s) => s.values[i])])} />
  </figure>`;
}

// One bar per group, split into segments per key, each with its pattern and number.
export function StackedChart({ id, title, groups, keys, keyLabel }) {
  if (!groups.length) {
    return html`<figure class="chart" data-chart=${id}><figcaption>${title}</figcaption><p>${t("none")}</p></figure>`;
  }
  const totals = groups.map((g) => keys.reduce((n, k) => n + (g.values[k] || 0), 0));
  const max = Math.max(1, ...totals);
  const rowH = 30;
  const legendRows = Math.ceil(keys.length / 3);
  const height = groups.length * rowH + 12 + legendRows * 18;
  return html`<figure class="chart" data-chart=${id}>
    <figcaption id=${`${id}-title`}>${title}</figcaption>
    <svg viewBox=${`0 0 640 ${height}`} role="img" aria-labelledby=${`${id}-title`} preserveAspectRatio="xMinYMin meet">
      ${groups.map((g, i) => {
        let x = 220;
        const y = i * rowH + 4;
        return html`<g><text x="210" y=${y + 18} text-anchor="end" class="label">${g.label}</text>
          ${keys.map((k, j) => {
            const v = g.values[k] || 0;
            if (!v) return null;
            const w = Math.max(18, Math.round((v / max) * 380));
            const seg = html`<rect x=${x} y=${y} width=${w} height=${rowH - 8} class=${cls(j)}><title>${keyLabel(k)}: ${v}</title></rect>
              <text x=${x + w / 2} y=${y + 16} text-anchor="middle" class="value on-bar">${v}</text>`;
            x += w;
            return seg;
          })}
          <text x=${x + 6} y=${y + 16} class="value">${totals[i]}</text></g>`;
      })}
      ${keys.map((k, j) => {
        const ly = groups.length * rowH + 6 + Math.floor(j / 3) * 18;
        return html`<g><rect x=${10 + (j % 3) * 210} y=${ly} width="14" height="12" class=${cls(j)} />
          <text x=${28 + (j % 3) * 210} y=${ly + 11} class="label">${keyLabel(k)}</text></g>`;
      })}
    </svg>
    <${DataTable} id=${`${id}-table`} columns=${[title, ...keys.map(keyLabel)]}
      rows=${groups.map((g) => [g.label, ...keys.map((k) => g.values[k] || 0)])} />
  </figure>`;
}
