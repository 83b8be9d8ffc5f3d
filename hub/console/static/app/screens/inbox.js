// Kotak rujukan: a Dinas without a system of its own works its referrals here, with the same
// updateReferralStatus the webhook partners call. It sees only what a referral's payload gives.

import { useEffect, useState } from "preact/hooks";
import { mutate, query, subscribe } from "../api.js";
import { html } from "../html.js";
import { formatDate, label, serverMessage, t } from "../i18n.js";
import { Alert, Badge, ErrorState, Field, Loading, Masked, useLoad, When } from "../ui.js";

const TABS = {
  tabNew: ["REQUESTED"],
  tabOpen: ["ACCEPTED", "IN_PROGRESS", "ON_HOLD"],
  tabDone: ["COMPLETED", "REJECTED", "FAILED", "CANCELLED"],
};
const INBOX = `query($status: [ReferralStatus!]) { referrals(filter: { status: $status }, first: 100) { edges { node {
  id status reason statusReason partnerReference outcome createdAt acknowledgeBy completeBy allowedStatuses
  programme { code name }
  caseSummary { number sectors complaint village { name } household { kkNumber address rt rw }
    subjects { nik name birthDate birthYear sex } }
} } } }`;
const UPDATE = `mutation($input: UpdateReferralStatusInput!) { updateReferralStatus(input: $input) {
  referral { id status } errors { code message field } } }`;
const NEEDS_REASON = new Set(["REJECTED", "ON_HOLD", "FAILED", "CANCELLED"]);

function Move({ referral, to, onDone }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [extra, setExtra] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const id = `${referral.id}-${to}`;
  const send = async (e) => {
    e && e.preventDefault();
    setBusy(true); setError(null);
    const input = { id: referral.id, status: to, reason: reason.trim() || null };
    if (to === "ACCEPTED" && extra.trim()) input.partnerReference = extra.trim();
    if (to === "COMPLETED" && extra.trim()) input.outcome = extra.trim();
    try {
      const payload = await mutate(UPDATE, { input }, "updateReferralStatus");
      if (payload.errors.length) setError(payload.errors[0].message);
      else { setOpen(false); onDone(); }
    } catch (err) { setError(err.message); } finally { setBusy(false); }
  };
  if (!open) {
    return html`<button type="button" class=${to === "ACCEPTED" || to === "COMPLETED" || to === "IN_PROGRESS" ? "primary" : ""}
      data-move=${to} onClick=${() => setOpen(true)}>${label("ReferralMove", to)}</button>`;
  }
  const extraLabel = to === "ACCEPTED" ? t("partnerReference") : to === "COMPLETED" ? t("outcome") : null;
  return html`<form class="note-form" onSubmit=${send} aria-labelledby=${`${id}-title`}>
    <h4 id=${`${id}-title`}>${label("ReferralMove", to)}</h4>
    ${NEEDS_REASON.has(to) ? html`<${Field} id=${`${id}-reason`} label=${t("reason")} required=${true} error=${error}>
      <textarea id=${`${id}-reason`} rows="2" required value=${reason} onInput=${(e) => setReason(e.target.value)}></textarea>
    </${Field}>` : null}
    ${extraLabel ? html`<${Field} id=${`${id}-extra`} label=${`${extraLabel} (${t("optional")})`} error=${NEEDS_REASON.has(to) ? null : error}>
      <input id=${`${id}-extra`} value=${extra} onInput=${(e) => setExtra(e.target.value)} />
    </${Field}>` : null}
    ${!NEEDS_REASON.has(to) && !extraLabel && error ? html`<${Alert} kind="error">${serverMessage(error)}</${Alert}>` : null}
    <div class="buttons"><button type="submit" class="primary" disabled=${busy}>${label("ReferralMove", to)}</button>
      <button type="button" onClick=${() => setOpen(false)}>${t("cancel")}</button></div>
  </form>`;
}

function InboxCard({ r, onDone }) {
  const s = r.caseSummary;
  return html`<article class="card referral" data-referral=${r.id} data-case-number=${s ? s.number : ""}>
    <h2>${s ? s.number : r.id} · ${r.programme.code}</h2>
    <p>${t("referredFor", { programme: r.programme.name })} · <${Badge} kind="ReferralStatus" value=${r.status} testid="referral-status" /></p>
    <p><strong>${t("referralReason")}:</strong> ${r.reason}</p>
    ${s ? html`<p class="complaint-text">${s.complaint}</p>
      <dl class="inline">
        <dt>${t("sectors")}</dt><dd>${s.sectors.map((x) => label("Sector", x)).join(", ")}</dd>
        <dt>${t("village")}</dt><dd>${s.village ? s.village.name : "—"}</dd>
        <dt>${t("address")}</dt><dd>${s.household.address}${s.household.rt ? `, RT ${s.household.rt}` : ""}${s.household.rw ? `/RW ${s.household.rw}` : ""}</dd>
        <dt>${t("kk")}</dt><dd><${Masked} value=${s.household.kkNumber} /></dd>
        <dt>${t("ackBy")}</dt><dd><${When} at=${r.acknowledgeBy} /></dd>
        <dt>${t("completeBy")}</dt><dd><${When} at=${r.completeBy} /></dd>
      </dl>
      <table class="list"><caption>${t("subject")}</caption>
        <thead><tr><th scope="col">${t("name")}</th><th scope="col">${t("nik")}</th><th scope="col">${t("birthDate")}</th><th scope="col">${t("sex")}</th></tr></thead>
        <tbody>${s.subjects.map((p) => html`<tr><th scope="row">${p.name}</th><td><${Masked} value=${p.nik} /></td>
          <td>${p.birthDate ? formatDate(p.birthDate) : p.birthYear}</td><td>${label("Sex", p.sex)}</td></tr>`)}</tbody>
      </table>` : null}
    ${r.partnerReference ? html`<p>${t("partnerReference")}: ${r.partnerReference}</p>` : null}
    ${r.outcome ? html`<p>${t("outcome")}: ${r.outcome}</p>` : null}
    ${r.statusReason ? html`<p>${t("reason")}: ${r.statusReason}</p>` : null}
    <div class="moves">${r.allowedStatuses.map((to) => html`<${Move} referral=${r} to=${to} onDone=${onDone} />`)}</div>
  </article>`;
}

export function InboxScreen({ viewer }) {
  const [tab, setTab] = useState("tabNew");
  const [tick, setTick] = useState(0);
  const [live, setLive] = useState("");
  const loaded = useLoad(() => query(INBOX, { status: TABS[tab] }).then(({ data }) => data.referrals.edges.map((e) => e.node)),
    [tab, tick]);
  useEffect(() => subscribe("subscription { referralUpdates { id status } }", {}, () => {
    setTick((n) => n + 1);
    setLive(`${t("updatedLive")} ${new Date().toLocaleTimeString()}`);
  }), []);
  const onKey = (e) => {
    const names = Object.keys(TABS);
    const i = names.indexOf(tab);
    const next = e.key === "ArrowRight" ? names[(i + 1) % names.length] : e.key === "ArrowLeft" ? names[(i + names.length - 1) % names.length] : null;
    if (next) { e.preventDefault(); setTab(next); document.getElementById(`tab-${next}`).focus(); }
  };
  return html`<div class="screen">
    <h1>${t("inboxTitle", { partner: viewer.partner ? viewer.partner.name : "Dinas" })}</h1>
    <p>${t("inboxIntro")}</p>
    <p class="live" role="status" aria-live="polite">${live}</p>
    <div role="tablist" class="tabs" aria-label=${t("navInbox")} onKeyDown=${onKey}>
      ${Object.keys(TABS).map((name) => html`<button type="button" role="tab" id=${`tab-${name}`} aria-selected=${tab === name}
        aria-controls="inbox-panel" tabindex=${tab === name ? 0 : -1} onClick=${() => setTab(name)}>${t(name)}</button>`)}
    </div>
    <div role="tabpanel" id="inbox-panel" aria-labelledby=${`tab-${tab}`} data-testid="inbox">
      ${loaded.error ? html`<${ErrorState} error=${loaded.error} onRetry=${loaded.reload} />` : null}
      ${!loaded.data ? html`<${Loading} />` : loaded.data.length === 0 ? html`<p>${t("inboxEmpty")}</p>`
        : loaded.data.map((r) => html`<${InboxCard} r=${r} onDone=${() => setTick((n) => n + 1)} />`)}
    </div>
  </div>`;
}
