// Dasbor: is SLRT effective here? The `statistics` of an area and period as charts, a table
// per village, and the same figures as CSV (the format of `slrt-hub report`).

import { useState } from "preact/hooks";
import { query } from "../api.js";
import { BarChart, ChartDefs, ColumnChart, StackedChart } from "../charts.js";
import { html } from "../html.js";
import { formatNumber, label, lang, t, values } from "../i18n.js";
import { ErrorState, Field, Loading, useLoad } from "../ui.js";

const FIELDS = `areaCode total resolved shareResolved medianDaysSubmissionToReferral medianDaysReferralToCompletion
  slaBreachedCases byStatus { key count } byChannel { key count } bySector { key count } byVillage { key count }
  slaBreaches { key count } referralsByPartner { partner status count }`;
const MONTHS = 6;
const AREAS = `query Areas($parent: ID) { areas(parentCode: $parent) { code name level } }`;

const iso = (d) => d.toISOString().slice(0, 10);

function monthsEndingAt(to) {
  const end = new Date(`${to}T00:00:00Z`);
  const out = [];
  for (let i = MONTHS - 1; i >= 0; i -= 1) {
    const first = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - i, 1));
    const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0));
    out.push({ from: iso(first), to: iso(last < end ? last : end), name: first.toLocaleDateString(lang() === "en" ? "en-GB" : "id-ID", { month: "short", year: "2-digit", timeZone: "UTC" }) });
  }
  return out;
}

function statsQuery(months) {
  const vars = months.map((_, i) => `$f${i}: Date, $t${i}: Date`).join(", ");
  const aliases = months.map((_, i) => `m${i}: statistics(areaCode: $area, from: $f${i}, to: $t${i}) { total resolved }`).join("\n");
  return `query Stats($area: ID, $from: Date, $to: Date, ${vars}) {
    statistics(areaCode: $area, from: $from, to: $to) { ${FIELDS} }
    ${aliases} }`;
}

async function loadAreas(root) {
  const { data } = await query(AREAS, { parent: root });
  const names = {};
  const options = [];
  for (const a of data.areas) { names[a.code] = a.name; options.push(a); }
  const districts = data.areas.filter((a) => a.level === "DISTRICT");
  if (districts.length) {
    const nested = await Promise.all(districts.map((d) => query(AREAS, { parent: d.code })));
    for (const { data: n } of nested) for (const v of n.areas) names[v.code] = v.name;
  }
  return { names, options };
}

async function rootArea(viewer) {
  if (viewer.areaCode) return viewer.areaCode;
  // Not bound to an area (auditor, admin): the deployment's regency, found under the top level.
  const { data } = await query(AREAS, { parent: null });
  for (const top of data.areas) {
    const { data: below } = await query(AREAS, { parent: top.code });
    const regency = below.areas.find((a) => a.level === "REGENCY");
    if (regency) return regency.code;
  }
  return null;
}

// CSV rows as `slrt-hub report` writes them (hub/statistics/report.py): measure,key,value.
export function csvOf(s) {
  const py = (v) => (v === null || v === undefined ? "" : Number.isInteger(v) ? `${v}.0` : String(v));
  const rows = [["measure", "key", "value"], ["total", "", s.total], ["resolved", "", s.resolved],
    ["share_resolved", "", s.shareResolved === null ? "" : py(Math.round(s.shareResolved * 10000) / 10000)],
    ["median_days_submission_to_referral", "", py(s.medianDaysSubmissionToReferral)],
    ["median_days_referral_to_completion", "", py(s.medianDaysReferralToCompletion)],
    ["sla_breached_cases", "", s.slaBreachedCases]];
  const sorted = (list) => [...list].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const [measure, list] of [["by_status", s.byStatus], ["by_channel", s.byChannel], ["by_sector", s.bySector],
    ["by_village", s.byVillage], ["sla_breaches", s.slaBreaches]]) {
    for (const c of sorted(list)) rows.push([measure, c.key, c.count]);
  }
  const partners = [...s.referralsByPartner].sort((a, b) => (a.partner < b.partner ? -1 : a.partner > b.partner ? 1
    : a.status < b.status ? -1 : a.status > b.status ? 1 : 0));
  for (const p of partners) rows.push(["referrals_by_partner", `${p.partner}/${p.status}`, p.count]);
  const cell = (v) => { const x = String(v); return /[",\r\n]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x; };
  return rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

function Tiles({ s }) {
  const tiles = [["total", formatNumber(s.total)], ["resolved", formatNumber(s.resolved)],
    ["shareResolved", s.shareResolved === null ? "—" : `${formatNumber(s.shareResolved * 100, 1)}%`],
    ["medianToReferral", s.medianDaysSubmissionToReferral === null ? "—" : t("days", { n: formatNumber(s.medianDaysSubmissionToReferral, 1) })],
    ["medianToCompletion", s.medianDaysReferralToCompletion === null ? "—" : t("days", { n: formatNumber(s.medianDaysReferralToCompletion, 1) })],
    ["slaBreachedCases", formatNumber(s.slaBreachedCases)]];
  return html`<dl class="tiles" data-testid="tiles">${tiles.map(([k, v]) => html`<div class="tile" data-tile=${k}><dt>${t(k)}</dt><dd>${v}</dd></div>`)}</dl>`;
}

// The local calendar day (statistics count local days, SLRT_TIMEZONE).
const localDay = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;

export function DashboardScreen({ viewer }) {
  const today = localDay(new Date());
  const start = iso(new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - (MONTHS - 1), 1)));
  const [period, setPeriod] = useState({ area: "", from: start, to: today });
  const [draft, setDraft] = useState(period);
  const areas = useLoad(async () => loadAreas(await rootArea(viewer)), [viewer.areaCode]);
  const stats = useLoad(async () => {
    const months = monthsEndingAt(period.to);
    const vars = { area: period.area || null, from: period.from || null, to: period.to || null };
    months.forEach((m, i) => { vars[`f${i}`] = m.from; vars[`t${i}`] = m.to; });
    const { data } = await query(statsQuery(months), vars);
    return { s: data.statistics, months: months.map((m, i) => ({ ...m, ...data[`m${i}`] })) };
  }, [period.area, period.from, period.to]);

  const download = () => {
    const blob = new Blob([csvOf(stats.data.s)], { type: "text/csv" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `slrt-statistik-${period.area || viewer.areaCode || "semua"}-${period.from}-${period.to}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };

  const names = (areas.data && areas.data.names) || {};
  const s = stats.data && stats.data.s;
  const partners = s ? [...new Set(s.referralsByPartner.map((p) => p.partner))] : [];
  const statuses = s ? values("ReferralStatus").filter((st) => s.referralsByPartner.some((p) => p.status === st)) : [];
  return html`<div class="screen">
    <${ChartDefs} />
    <h1>${t("dashTitle")}</h1>
    <form class="filters row" onSubmit=${(e) => { e.preventDefault(); setPeriod(draft); }}>
      <${Field} id="d-area" label=${t("area")}>
        <select id="d-area" value=${draft.area} onChange=${(e) => setDraft({ ...draft, area: e.target.value })}>
          <option value="">${viewer.area ? viewer.area.name : t("all")}</option>
          ${(areas.data ? areas.data.options : []).map((a) => html`<option value=${a.code}>${a.name}</option>`)}
        </select>
      </${Field}>
      <${Field} id="d-from" label=${t("from")}><input id="d-from" type="date" value=${draft.from}
        onInput=${(e) => setDraft({ ...draft, from: e.target.value })} /></${Field}>
      <${Field} id="d-to" label=${t("to")}><input id="d-to" type="date" value=${draft.to}
        onInput=${(e) => setDraft({ ...draft, to: e.target.value })} /></${Field}>
      <button type="submit">${t("show")}</button>
      <button type="button" disabled=${!s} onClick=${download}>${t("downloadCsv")}</button>
    </form>
    ${stats.error ? html`<${ErrorState} error=${stats.error} onRetry=${stats.reload} />` : null}
    ${!s ? html`<${Loading} />` : html`
      <${Tiles} s=${s} />
      <div class="charts">
        <${ColumnChart} id="over-time" title=${t("overTime")} periods=${stats.data.months.map((m) => m.name)}
          series=${[{ name: t("total"), values: stats.data.months.map((m) => m.total) },
            { name: t("resolved"), values: stats.data.months.map((m) => m.resolved) }]} />
        <${BarChart} id="by-status" title=${t("byStatus")} rows=${values("CaseStatus").map((k) => ({
          label: label("CaseStatus", k), value: (s.byStatus.find((c) => c.key === k) || { count: 0 }).count }))} />
        <${BarChart} id="by-channel" title=${t("byChannel")} rows=${s.byChannel.map((c) => ({ label: label("Channel", c.key), value: c.count }))} />
        <${BarChart} id="by-sector" title=${t("bySector")} rows=${s.bySector.map((c) => ({ label: label("Sector", c.key), value: c.count }))} />
        <${StackedChart} id="by-partner" title=${t("referralsByPartner")} keys=${statuses}
          keyLabel=${(k) => label("ReferralStatus", k)}
          groups=${partners.map((p) => ({ label: p.replace(/ Kota Bekasi$/, ""), values: Object.fromEntries(
            s.referralsByPartner.filter((x) => x.partner === p).map((x) => [x.status, x.count])) }))} />
        <${BarChart} id="sla" title=${t("slaBreaches")} rows=${s.slaBreaches.map((c) => ({ label: label("Sector", c.key), value: c.count }))} />
      </div>
      <table class="list" data-testid="villages">
        <caption>${t("byVillage")}</caption>
        <thead><tr><th scope="col">${t("village")}</th><th scope="col">${t("count")}</th></tr></thead>
        <tbody>${[...s.byVillage].sort((a, b) => b.count - a.count).map((v) => html`<tr>
          <th scope="row">${names[v.key] || v.key}</th><td>${formatNumber(v.count)}</td></tr>`)}</tbody>
      </table>`}
  </div>`;
}
