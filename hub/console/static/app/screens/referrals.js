// Rujukan: escalated referrals first, then failed deliveries with "kirim ulang", every referral
// by status and delivery state, and the health of each Dinas endpoint. Live.

import { useEffect, useState } from "preact/hooks";
import { query, subscribe } from "../api.js";
import { html } from "../html.js";
import { label, t, values } from "../i18n.js";
import { href } from "../router.js";
import { Alert, Badge, ErrorState, Field, Loading, useLoad, When } from "../ui.js";
import { OverdueList, seesOverdue } from "./queue.js";
import { REFERRAL_FIELDS, ReferralCard } from "./referral_card.js";

const DEAD = `{ referrals(filter: { deliveryState: [DEAD] }, first: 50) { edges { node { ${REFERRAL_FIELDS} case { id number } } } } }`;
const LIST = `query($filter: ReferralFilter) { referrals(filter: $filter, first: 100) { edges { node {
  id status deliveryState createdAt acknowledgeBy programme { code partner { id name portalOnly } }
  deliveryAttempts { number } case { id number } } } } }`;
const PARTNERS = `{ partners { id name portalOnly endpointHealth { state failingSince } programmes { code } }
  pending: referrals(filter: { deliveryState: [QUEUED, SENDING, RETRYING, DEAD] }, first: 100) {
    edges { node { deliveryState programme { partner { id } } } } } }`;

function PartnerHealth({ tick }) {
  const loaded = useLoad(() => query(PARTNERS).then(({ data }) => data), [tick]);
  if (loaded.error) return html`<${ErrorState} error=${loaded.error} onRetry=${loaded.reload} />`;
  if (!loaded.data) return html`<${Loading} />`;
  const pending = {};
  for (const { node } of loaded.data.pending.edges) {
    const id = node.programme.partner && node.programme.partner.id;
    pending[id] = pending[id] || { DEAD: 0, other: 0 };
    pending[id][node.deliveryState === "DEAD" ? "DEAD" : "other"] += 1;
  }
  return html`<section aria-labelledby="health-title">
    <h2 id="health-title">${t("partnerHealth")}</h2>
    <table class="list" data-testid="partner-health">
      <thead><tr><th scope="col">${t("partner")}</th><th scope="col">${t("endpoint")}</th>
        <th scope="col">${t("pending")}</th><th scope="col">${label("DeliveryState", "DEAD")}</th></tr></thead>
      <tbody>${loaded.data.partners.map((p) => {
        const h = p.endpointHealth;
        const state = h.state === "PORTAL_ONLY" ? t("portalOnly") : h.state === "DISABLED" ? `⛔ ${t("disabledEndpoint")}`
          : h.state === "FAILING" ? html`⚠ ${t("failingSince", { at: "" })}<${When} at=${h.failingSince} />` : `✓ ${t("healthy")}`;
        const counts = pending[p.id] || { DEAD: 0, other: 0 };
        return html`<tr data-partner=${p.name}><th scope="row">${p.name}<br /><span class="hint">${p.programmes.map((x) => x.code).join(", ")}</span></th>
          <td>${state}</td><td>${counts.other}</td><td>${counts.DEAD}</td></tr>`;
      })}</tbody>
    </table>
  </section>`;
}

function DeadDeliveries({ viewer, tick, onChanged }) {
  const loaded = useLoad(() => query(DEAD).then(({ data }) => data.referrals.edges.map((e) => e.node)), [tick]);
  if (loaded.error) return html`<${ErrorState} error=${loaded.error} onRetry=${loaded.reload} />`;
  if (!loaded.data) return html`<${Loading} />`;
  return html`<section aria-labelledby="dead-title" data-testid="dead">
    <h2 id="dead-title">${t("deadFirst")} <span class="count">(${loaded.data.length})</span></h2>
    ${loaded.data.length === 0 ? html`<p>${t("deadNone")}</p>` : loaded.data.map((r) => html`<div>
      ${r.case ? html`<p><a href=${href("kasus", r.case.id)}>${r.case.number}</a></p>` : null}
      <${ReferralCard} referral=${r} viewer=${viewer} heading="h3" onChanged=${onChanged} />
    </div>`)}
  </section>`;
}

function AllReferrals({ tick }) {
  const [filter, setFilter] = useState({ status: "", deliveryState: "" });
  const loaded = useLoad(() => query(LIST, { filter: {
    status: filter.status ? [filter.status] : null, deliveryState: filter.deliveryState ? [filter.deliveryState] : null,
  } }).then(({ data }) => data.referrals.edges.map((e) => e.node)), [filter.status, filter.deliveryState, tick]);
  return html`<section aria-labelledby="all-title">
    <h2 id="all-title">${t("allReferrals")}</h2>
    <div class="row">
      <${Field} id="r-status" label=${t("status")}>
        <select id="r-status" value=${filter.status} onChange=${(e) => setFilter({ ...filter, status: e.target.value })}>
          <option value="">${t("all")}</option>
          ${values("ReferralStatus").map((s) => html`<option value=${s}>${label("ReferralStatus", s)}</option>`)}
        </select>
      </${Field}>
      <${Field} id="r-delivery" label=${t("deliveryState")}>
        <select id="r-delivery" value=${filter.deliveryState} onChange=${(e) => setFilter({ ...filter, deliveryState: e.target.value })}>
          <option value="">${t("all")}</option>
          ${values("DeliveryState").map((s) => html`<option value=${s}>${label("DeliveryState", s)}</option>`)}
        </select>
      </${Field}>
    </div>
    ${loaded.error ? html`<${ErrorState} error=${loaded.error} onRetry=${loaded.reload} />` : null}
    ${!loaded.data ? html`<${Loading} />` : html`<table class="list" data-testid="referrals">
      <thead><tr><th scope="col">${t("caseNumber")}</th><th scope="col">${t("programme")}</th><th scope="col">${t("partner")}</th>
        <th scope="col">${t("status")}</th><th scope="col">${t("deliveryState")}</th><th scope="col">${t("attempts")}</th>
        <th scope="col">${t("created")}</th><th scope="col">${t("ackBy")}</th></tr></thead>
      <tbody>${loaded.data.map((r) => html`<tr data-referral=${r.id} data-case-number=${r.case ? r.case.number : ""}>
        <th scope="row">${r.case ? html`<a href=${href("kasus", r.case.id)}>${r.case.number}</a>` : "—"}</th>
        <td>${r.programme.code}</td><td>${r.programme.partner ? r.programme.partner.name : "—"}</td>
        <td><${Badge} kind="ReferralStatus" value=${r.status} /></td>
        <td>${r.programme.partner && r.programme.partner.portalOnly ? t("portalDelivery") : label("DeliveryState", r.deliveryState)}</td>
        <td>${r.deliveryAttempts.length}</td><td><${When} at=${r.createdAt} /></td><td><${When} at=${r.acknowledgeBy} /></td>
      </tr>`)}</tbody>
    </table>
    ${loaded.data.length === 0 ? html`<${Alert}>${t("noReferrals")}</${Alert}>` : null}`}
  </section>`;
}

export function ReferralsScreen({ viewer }) {
  const [tick, setTick] = useState(0);
  const [live, setLive] = useState("");
  useEffect(() => {
    let timer = null;
    return subscribe("subscription { referralUpdates { id status } }", {}, () => {
      clearTimeout(timer);
      timer = setTimeout(() => { setTick((n) => n + 1); setLive(`${t("updatedLive")} ${new Date().toLocaleTimeString()}`); }, 300);
    });
  }, []);
  const [notice, setNotice] = useState("");
  const bump = (message) => { setTick((n) => n + 1); if (message) setNotice(message); };
  return html`<div class="screen">
    <h1>${t("trackerTitle")}</h1>
    <p class="live" role="status" aria-live="polite">${live}</p>
    <p class="live notice" role="status" aria-live="polite" data-testid="notice">${notice}</p>
    ${seesOverdue(viewer) ? html`<${OverdueList} viewer=${viewer} tick=${tick} />` : null}
    <${DeadDeliveries} viewer=${viewer} tick=${tick} onChanged=${bump} />
    <${AllReferrals} tick=${tick} />
    <${PartnerHealth} tick=${tick} />
  </div>`;
}
