// Kasus: one keluhan with its household, the sector systems' view of it, suggested referrals,
// the timeline, the referrals, and the moves the caller may make.

import { useEffect, useState } from "preact/hooks";
import { query, request, subscribe } from "../api.js";
import { html } from "../html.js";
import { formatDate, label, t } from "../i18n.js";
import { href } from "../router.js";
import { Alert, Badge, ErrorState, Loading, Masked, useLoad, When } from "../ui.js";
import { CaseActions } from "./case_actions.js";
import { ConnectorPanel, CONNECTORS, connectorSelections } from "./connectors.js";
import { REFERRAL_FIELDS, ReferralCard } from "./referral_card.js";

const ENABLED = `{ connectors { name enabled } }`;

function caseQuery(sel, confirmsMoves) {
  return `query Case($id: ID!) { case(id: $id) {
    id number status channel priority complaint analysisNote recordedBy createdAt submittedAt slaDueAt version
    ${confirmsMoves ? "pendingHouseholdMove" : ""}
    sectors allowedActions village { code name }
    household { kkNumber address rt rw ${sel.household}
      members { id nik name birthDate birthYear sex relationship ${sel.member} } }
    subjects { nik name }
    suggestedReferrals { programme subject rule reason facts { name value } }
    screeningNotEvaluated { rule programme unavailable }
    events { at actor actorRole action fromStatus toStatus note }
    referrals { ${REFERRAL_FIELDS} }
    possibleDuplicates { id number status }
  } }`;
}

let enabledConnectors = null; // asked once per page: the deployment's connectors do not change while it runs

async function loadCase(id, viewer) {
  if (!enabledConnectors) {
    const { data } = await query(ENABLED);
    enabledConnectors = data.connectors.filter((c) => c.enabled).map((c) => c.name);
  }
  const sel = connectorSelections(enabledConnectors, viewer.scopes.includes("pii:read"));
  const confirmsMoves = viewer.role === "SUPERVISOR" || viewer.role === "FRONT_OFFICE";
  const { data, errors } = await request(caseQuery(sel, confirmsMoves), { id });
  const fatal = errors.filter((e) => (e.path || []).length <= 1);
  if (fatal.length || !data || !data.case) {
    const e = fatal[0] || { message: "not found", extensions: { code: "NOT_FOUND" } };
    throw Object.assign(new Error(e.message), { kind: "graphql", detail: e.extensions || {} });
  }
  return { c: data.case, errors, enabled: enabledConnectors };
}

function Household({ c, errors, enabled }) {
  const h = c.household;
  const subjects = new Set(c.subjects.map((s) => s.nik));
  const memberConnectors = Object.keys(CONNECTORS).filter((n) => CONNECTORS[n][1] === "member" && enabled.includes(n));
  const householdConnectors = Object.keys(CONNECTORS).filter((n) => CONNECTORS[n][1] === "household" && enabled.includes(n));
  return html`<section aria-labelledby="household-title">
    <h2 id="household-title">${t("household")}</h2>
    <dl class="inline">
      <dt>${t("kk")}</dt><dd data-testid="kk"><${Masked} value=${h.kkNumber} /></dd>
      <dt>${t("address")}</dt><dd>${h.address}${h.rt ? `, RT ${h.rt}` : ""}${h.rw ? `/RW ${h.rw}` : ""}</dd>
    </dl>
    <div class="panels">${householdConnectors.map((n) => html`<${ConnectorPanel} name=${n} entity=${h} errors=${errors}
      path=${["case", "household"]} />`)}</div>
    <h3>${t("members")}</h3>
    <ul class="members">
      ${h.members.map((m, i) => html`<li class=${subjects.has(m.nik) ? "member subject" : "member"}>
        <p><strong>${m.name}</strong> · ${label("Relationship", m.relationship)} · ${label("Sex", m.sex)}
          · ${m.birthDate ? formatDate(m.birthDate) : m.birthYear}${subjects.has(m.nik) ? html` · <em>${t("subject")}</em>` : null}</p>
        <p>${t("nik")}: <span data-testid="nik"><${Masked} value=${m.nik} /></span></p>
        <div class="panels">${memberConnectors.map((n) => html`<${ConnectorPanel} name=${n} entity=${m} errors=${errors}
          path=${["case", "household", "members", i]} />`)}</div>
      </li>`)}
    </ul>
  </section>`;
}

function Suggestions({ c }) {
  return html`<section aria-labelledby="suggested-title">
    <h2 id="suggested-title">${t("suggested")}</h2>
    ${c.screeningNotEvaluated.length ? html`<${Alert} kind="warning">${t("notEvaluated",
      { rules: c.screeningNotEvaluated.map((n) => `${n.programme} (${n.unavailable.join(", ")})`).join("; ") })}</${Alert}>` : null}
    ${c.suggestedReferrals.length === 0 ? html`<p>${t("noSuggestions")}</p>` : html`<ul class="cards">
      ${c.suggestedReferrals.map((s) => html`<li class="card" data-suggestion=${s.programme}>
        <p><strong>${s.programme}</strong> · <${Masked} value=${s.subject} /></p>
        <p>${s.reason}</p>
        <p class="hint">${s.facts.map((f) => `${f.name} = ${f.value}`).join("; ")}</p>
      </li>`)}
    </ul>`}
  </section>`;
}

function Timeline({ c }) {
  return html`<section aria-labelledby="timeline-title">
    <h2 id="timeline-title">${t("timeline")}</h2>
    <ol class="timeline" data-testid="timeline">
      ${c.events.map((e) => html`<li class=${e.action === "ESCALATED" ? "escalated" : ""}>
        <${When} at=${e.at} /> · <strong>${e.action === "ESCALATED" ? "⚠ " : ""}${label("EventAction", e.action)}</strong>
        ${e.toStatus && e.toStatus !== e.fromStatus ? html` → ${label("CaseStatus", e.toStatus)}` : null}
        · ${e.actor}${e.note ? html`<br /><span class="note">${e.note}</span>` : null}
      </li>`)}
    </ol>
  </section>`;
}

export function CaseScreen({ id, viewer }) {
  const [tick, setTick] = useState(0);
  const [saved, setSaved] = useState("");
  const loaded = useLoad(() => loadCase(id, viewer), [id, tick]);

  useEffect(() => subscribe("subscription { caseEvents { caseId action } }", {}, (data) => {
    if (data.caseEvents.caseId === id) setTick((n) => n + 1);
  }), [id]);

  if (loaded.error) return html`<div class="screen"><h1>${t("caseTitle", { number: "" })}</h1>
    <${ErrorState} error=${loaded.error} onRetry=${loaded.reload} /></div>`;
  if (!loaded.data) return html`<div class="screen"><${Loading} /></div>`;
  const { c, errors, enabled } = loaded.data;
  const late = c.slaDueAt && c.slaDueAt < new Date().toISOString() && !["RESOLVED", "CLOSED", "REJECTED"].includes(c.status);
  return html`<div class="screen case">
    <p class="crumbs"><a href=${href("antrian")}>${t("navQueue")}</a></p>
    <h1>${t("caseTitle", { number: c.number })}</h1>
    <p class="case-status">${t("status")}: <${Badge} kind="CaseStatus" value=${c.status} testid="case-status" />
      · ${t("priority")}: ${label("Priority", c.priority)} · ${t("channel")}: ${label("Channel", c.channel)}</p>
    <dl class="inline">
      <dt>${t("village")}</dt><dd>${c.village ? c.village.name : "—"}</dd>
      <dt>${t("sectors")}</dt><dd>${c.sectors.map((s) => label("Sector", s)).join(", ")}</dd>
      <dt>${t("slaDue")}</dt><dd>${c.slaDueAt ? html`<${When} at=${c.slaDueAt} />` : "—"}${late ? html` <strong class="late-tag">⚠ ${t("overdue")}</strong>` : null}</dd>
      <dt>${t("recordedBy")}</dt><dd>${c.recordedBy} · <${When} at=${c.createdAt} /></dd>
    </dl>
    <p class="complaint-text">${c.complaint}</p>
    ${c.analysisNote ? html`<p><strong>${t("analysisNote")}:</strong> ${c.analysisNote}</p>` : null}
    <p class="live" role="status" aria-live="polite">${saved}</p>
    <${CaseActions} c=${c} onDone=${() => { setSaved(`${t("done")} ${new Date().toLocaleTimeString()}`); setTick((n) => n + 1); }} />
    ${c.possibleDuplicates.length ? html`<${Alert} kind="warning">${t("duplicates")}:
      ${c.possibleDuplicates.map((d) => html` <a href=${href("kasus", d.id)}>${d.number}</a>`)}</${Alert}>` : null}
    <section aria-labelledby="referrals-title">
      <h2 id="referrals-title">${t("referrals")}</h2>
      ${c.referrals.length === 0 ? html`<p>${t("noReferrals")}</p>`
        : c.referrals.map((r) => html`<${ReferralCard} referral=${r} viewer=${viewer} onChanged=${() => setTick((n) => n + 1)} />`)}
    </section>
    <${Suggestions} c=${c} />
    <${Household} c=${c} errors=${errors} enabled=${enabled} />
    <${Timeline} c=${c} />
  </div>`;
}
