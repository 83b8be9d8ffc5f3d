// Antrian: the cases waiting for the caller's role, escalated referrals first, live.

import { useEffect, useRef, useState } from "preact/hooks";
import { query, subscribe } from "../api.js";
import { html } from "../html.js";
import { formatDate, label, t, values } from "../i18n.js";
import { href } from "../router.js";
import { Alert, Badge, ErrorState, Field, Loading, useLoad, When } from "../ui.js";

// What waits for each role (SPEC section 4).
export const QUEUE = {
  FACILITATOR: ["DRAFT", "RETURNED"], PUSKESOS_OPERATOR: ["DRAFT", "RETURNED"], SUPERVISOR: ["SUBMITTED"],
  FRONT_OFFICE: ["APPROVED"], BACK_OFFICE: ["REVIEWED", "REFERRED"],
};
const ENDED = new Set(["RESOLVED", "CLOSED", "REJECTED"]);
const PAGE = 25;

const CASES = `query Queue($filter: CaseFilter, $first: Int!, $after: String) {
  cases(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id number status priority complaint sectors createdAt slaDueAt village { code name } } }
  } }`;

export const OVERDUE = `{ overdueReferrals(first: 20) { totalCount edges { node {
  referral { id status programme { code name partner { name } } case { id number village { name } } }
  missed { target dueAt escalatedAt } } } } }`;

const AREAS = `query Areas($parent: ID) { areas(parentCode: $parent) { code name level } }`;

export function seesOverdue(viewer) { return viewer.role === "BACK_OFFICE" || viewer.role === "SUPERVISOR"; }

export function OverdueList({ viewer, tick }) {
  const overdue = useLoad(() => query(OVERDUE).then(({ data }) => data.overdueReferrals), [tick]);
  if (overdue.loading && !overdue.data) return html`<${Loading} />`;
  if (overdue.error) return html`<${ErrorState} error=${overdue.error} onRetry=${overdue.reload} />`;
  const edges = overdue.data.edges;
  return html`<section class="overdue" aria-labelledby="overdue-title" data-testid="overdue">
    <h2 id="overdue-title">${t("overdueReferrals")} <span class="count">(${overdue.data.totalCount})</span></h2>
    ${edges.length === 0 ? html`<p>${t("overdueNone")}</p>` : html`<ul class="cards">
      ${edges.map(({ node }) => html`<li class="card escalated">
        <p><strong>⚠ ${node.referral.programme.code}</strong> · ${node.referral.programme.partner
          ? node.referral.programme.partner.name : ""} · ${label("ReferralStatus", node.referral.status)}</p>
        ${node.referral.case ? html`<p><a href=${href("kasus", node.referral.case.id)}>${node.referral.case.number}</a>
          · ${node.referral.case.village ? node.referral.case.village.name : ""}</p>` : null}
        <ul>${node.missed.map((m) => html`<li>${t(`missed${m.target}`, { due: formatDate(m.dueAt) })}${m.escalatedAt
          ? html` · ${t("escalatedAt", { at: formatDate(m.escalatedAt) })}` : null}</li>`)}</ul>
      </li>`)}
    </ul>`}
  </section>`;
}

function Filters({ viewer, value, onApply }) {
  const [draft, setDraft] = useState(value);
  const areas = useLoad(() => viewer.areaCode
    ? query(AREAS, { parent: viewer.areaCode }).then(({ data }) => data.areas) : Promise.resolve([]), [viewer.areaCode]);
  const toggle = (s) => setDraft({ ...draft, status: draft.status.includes(s)
    ? draft.status.filter((x) => x !== s) : [...draft.status, s] });
  return html`<form class="filters" onSubmit=${(e) => { e.preventDefault(); onApply(draft); }}>
    <fieldset class="statuses"><legend>${t("status")}</legend>
      ${values("CaseStatus").map((s) => html`<label class="check"><input type="checkbox" name="status" value=${s}
        checked=${draft.status.includes(s)} onChange=${() => toggle(s)} /> ${label("CaseStatus", s)}</label>`)}
    </fieldset>
    <div class="row">
      <${Field} id="q-sector" label=${t("sector")}>
        <select id="q-sector" value=${draft.sector} onChange=${(e) => setDraft({ ...draft, sector: e.target.value })}>
          <option value="">${t("all")}</option>
          ${values("Sector").map((s) => html`<option value=${s}>${label("Sector", s)}</option>`)}
        </select>
      </${Field}>
      <${Field} id="q-priority" label=${t("priority")}>
        <select id="q-priority" value=${draft.priority} onChange=${(e) => setDraft({ ...draft, priority: e.target.value })}>
          <option value="">${t("all")}</option>
          ${values("Priority").map((s) => html`<option value=${s}>${label("Priority", s)}</option>`)}
        </select>
      </${Field}>
      ${areas.data && areas.data.length ? html`<${Field} id="q-area" label=${t("area")}>
        <select id="q-area" value=${draft.area} onChange=${(e) => setDraft({ ...draft, area: e.target.value })}>
          <option value="">${t("all")}</option>
          ${areas.data.map((a) => html`<option value=${a.code}>${a.name}</option>`)}
        </select>
      </${Field}>` : null}
      <${Field} id="q-text" label=${t("search")}>
        <input id="q-text" type="search" value=${draft.text} onInput=${(e) => setDraft({ ...draft, text: e.target.value })} />
      </${Field}>
      <button type="submit">${t("filters")}</button>
    </div>
  </form>`;
}

function toFilter(f) {
  return { status: f.status.length ? f.status : null, sector: f.sector ? [f.sector] : null,
    priority: f.priority || null, areaCode: f.area || null, text: f.text.trim() || null };
}

export function QueueScreen({ viewer }) {
  const [filters, setFilters] = useState({ status: QUEUE[viewer.role] || [], sector: "", priority: "", area: "", text: "" });
  const [first, setFirst] = useState(PAGE);
  const [tick, setTick] = useState(0);
  const [live, setLive] = useState("");
  const ready = useRef(false);
  const cases = useLoad(() => query(CASES, { filter: toFilter(filters), first }).then(({ data }) => data.cases),
    [JSON.stringify(filters), first, tick]);

  useEffect(() => {
    let timer = null;
    const stop = subscribe("subscription { caseEvents { caseId action } }", {}, () => {
      clearTimeout(timer);
      timer = setTimeout(() => { setTick((n) => n + 1); setLive(`${t("updatedLive")} ${new Date().toLocaleTimeString()}`); }, 300);
    });
    return () => { clearTimeout(timer); stop(); };
  }, []);

  useEffect(() => {
    if (cases.data && !ready.current) {
      ready.current = true;
      performance.mark("slrt:queue-ready"); // time to interactive, read by the browser test
    }
  }, [cases.data]);

  const now = new Date().toISOString();
  return html`<div class="screen">
    <h1>${t("queueTitle")}</h1>
    <p>${t("queueFor", { role: label("Role", viewer.role) })}</p>
    <p class="live" role="status" aria-live="polite">${live}</p>
    ${seesOverdue(viewer) ? html`<${OverdueList} viewer=${viewer} tick=${tick} />` : null}
    <${Filters} viewer=${viewer} value=${filters} onApply=${(f) => { setFirst(PAGE); setFilters(f); }} />
    ${cases.error ? html`<${ErrorState} error=${cases.error} onRetry=${cases.reload} />` : null}
    ${!cases.data ? html`<${Loading} />` : html`
      <table class="list" data-testid="queue" data-ready="yes">
        <caption>${t("casesShown", { n: cases.data.edges.length, total: cases.data.totalCount })}</caption>
        <thead><tr>
          <th scope="col">${t("caseNumber")}</th><th scope="col">${t("village")}</th><th scope="col">${t("complaint")}</th>
          <th scope="col">${t("sector")}</th><th scope="col">${t("priority")}</th><th scope="col">${t("status")}</th>
          <th scope="col">${t("slaDue")}</th><th scope="col">${t("created")}</th>
        </tr></thead>
        <tbody>
          ${cases.data.edges.map(({ node: c }) => {
            const late = c.slaDueAt && c.slaDueAt < now && !ENDED.has(c.status);
            return html`<tr class=${late ? "late" : ""} data-case=${c.number}>
              <th scope="row"><a href=${href("kasus", c.id)}>${c.number}</a></th>
              <td>${c.village ? c.village.name : "—"}</td>
              <td class="complaint">${c.complaint}</td>
              <td>${c.sectors.map((s) => label("Sector", s)).join(", ")}</td>
              <td>${label("Priority", c.priority)}</td>
              <td><${Badge} kind="CaseStatus" value=${c.status} /></td>
              <td>${c.slaDueAt ? html`<${When} at=${c.slaDueAt} />` : "—"}${late
                ? html` <strong class="late-tag">⚠ ${t("overdue")}</strong>` : null}</td>
              <td><${When} at=${c.createdAt} /></td>
            </tr>`;
          })}
        </tbody>
      </table>
      ${cases.data.edges.length === 0 ? html`<${Alert}>${t("noCases")}</${Alert}>` : null}
      ${cases.data.pageInfo.hasNextPage ? html`<button type="button" onClick=${() => setFirst(first + PAGE)}>${t("loadMore")}</button>` : null}`}
  </div>`;
}
