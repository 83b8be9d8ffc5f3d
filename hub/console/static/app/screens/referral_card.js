// A referral as staff follow it: status, delivery state and attempts, targets, history, and
// the moves the caller may make (cancel, send again).

import { useState } from "preact/hooks";
import { mutate } from "../api.js";
import { html } from "../html.js";
import { formatDateTime, label, serverMessage, t } from "../i18n.js";
import { Alert, Badge, NoteForm, When } from "../ui.js";

export const REFERRAL_FIELDS = `id status reason statusReason partnerReference outcome createdAt acknowledgeBy completeBy
  deliveryState allowedStatuses
  programme { code name partner { id name portalOnly } }
  deliveryAttempts { number at statusCode error durationMs }
  history { at actor toStatus reason }`;

const CANCEL = `mutation($id: ID!, $reason: String!) { cancelReferral(id: $id, reason: $reason) { referral { id } errors { code message field } } }`;
const REDELIVER = `mutation($id: ID!) { redeliverReferral(id: $id) { referral { id deliveryState } errors { code message field } } }`;

function attemptResult(a) {
  if (a.statusCode) return `HTTP ${a.statusCode}`;
  return a.error || "—";
}

export function canRedeliver(viewer) {
  return viewer.scopes.includes("referral:write") || viewer.scopes.includes("admin");
}

export function ReferralCard({ referral: r, viewer, onChanged, heading = "h3" }) {
  const [cancelling, setCancelling] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const Heading = heading;

  const run = async (q, vars, field, message) => {
    setBusy(true); setError(null);
    try {
      const payload = await mutate(q, vars, field);
      if (payload.errors.length) { setError(payload.errors[0].message); return false; }
      setDone(message);
      // The list may reload without this card (no longer DEAD): the screen repeats the message.
      onChanged && onChanged(message);
      return true;
    } catch (e) {
      setError(e.message);
      return false;
    } finally { setBusy(false); }
  };

  const partner = r.programme.partner;
  return html`<article class="card referral" data-referral=${r.id} data-programme=${r.programme.code}>
    <${Heading}>${r.programme.code} — ${r.programme.name}</${Heading}>
    <p>${partner ? partner.name : ""} · <${Badge} kind="ReferralStatus" value=${r.status} testid="referral-status" /></p>
    <p>${r.reason}</p>
    <dl class="inline">
      <dt>${t("delivery")}</dt>
      <dd data-testid="delivery-state">${partner && partner.portalOnly ? t("portalDelivery") : label("DeliveryState", r.deliveryState)}</dd>
      <dt>${t("ackBy")}</dt><dd><${When} at=${r.acknowledgeBy} /></dd>
      <dt>${t("completeBy")}</dt><dd><${When} at=${r.completeBy} /></dd>
      ${r.partnerReference ? html`<dt>${t("partnerReference")}</dt><dd>${r.partnerReference}</dd>` : null}
      ${r.outcome ? html`<dt>${t("outcome")}</dt><dd>${r.outcome}</dd>` : null}
      ${r.statusReason ? html`<dt>${t("reason")}</dt><dd>${r.statusReason}</dd>` : null}
    </dl>
    ${r.deliveryAttempts.length ? html`<details><summary>${t("attempts")} (${r.deliveryAttempts.length})</summary>
      <ol>${r.deliveryAttempts.map((a) => html`<li>${t("attempt", { n: a.number, at: formatDateTime(a.at), result: attemptResult(a) })}</li>`)}</ol>
    </details>` : null}
    <details><summary>${t("history")}</summary>
      <ol>${r.history.map((h) => html`<li><${When} at=${h.at} /> · ${label("ReferralStatus", h.toStatus)} · ${h.actor}${h.reason ? ` — ${h.reason}` : ""}</li>`)}</ol>
    </details>
    ${error ? html`<${Alert} kind="error">${serverMessage(error)}</${Alert}>` : null}
    ${done ? html`<${Alert}>${done}</${Alert}>` : null}
    <div class="buttons">
      ${r.deliveryState === "DEAD" && canRedeliver(viewer) ? html`<button type="button" class="primary" disabled=${busy}
        onClick=${() => run(REDELIVER, { id: r.id }, "redeliverReferral", t("redelivered"))}>
        ${t("redeliver")} ${r.programme.code}</button>` : null}
      ${r.allowedStatuses.includes("CANCELLED") && !cancelling ? html`<button type="button" onClick=${() => setCancelling(true)}>
        ${label("ReferralMove", "CANCELLED")}</button>` : null}
    </div>
    ${cancelling ? html`<${NoteForm} id=${`cancel-${r.id}`} title=${label("ReferralMove", "CANCELLED")} fieldLabel=${t("reason")}
      required=${true} submitLabel=${label("ReferralMove", "CANCELLED")} busy=${busy}
      onCancel=${() => setCancelling(false)}
      onSubmit=${async (reason) => { if (await run(CANCEL, { id: r.id, reason }, "cancelReferral", t("done"))) setCancelling(false); }} />` : null}
  </article>`;
}
