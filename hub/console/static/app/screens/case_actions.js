// The buttons of exactly the moves the caller may make (Case.allowedActions), each with the
// note, reason or choice its mutation needs.

import { useEffect, useRef, useState } from "preact/hooks";
import { mutate, query } from "../api.js";
import { html } from "../html.js";
import { label, serverMessage, t, values } from "../i18n.js";
import { Alert, Field, NoteForm, useLoad } from "../ui.js";

const PAYLOAD = "case { id status } errors { code message field }";
// action → [mutation, argument of the note, is it required]
const SIMPLE = {
  SUBMIT: ["submitCase", null, false],
  APPROVE: ["approveCase", "note", false],
  CLOSE: ["closeCase", "note", false],
  RETURN: ["returnCase", "reason", true],
  REJECT: ["rejectCase", "reason", true],
  RESOLVE_LOCALLY: ["resolveLocally", "note", true],
  RESOLVE: ["resolveCase", "note", true],
  CONFIRM_HOUSEHOLD_MOVE: ["confirmHouseholdMove", "note", false],
};

function simpleMutation(action) {
  const [name, arg, required] = SIMPLE[action];
  if (!arg) return `mutation($id: ID!) { ${name}(id: $id) { ${PAYLOAD} } }`;
  return `mutation($id: ID!, $${arg}: String${required ? "!" : ""}) { ${name}(id: $id, ${arg}: $${arg}) { ${PAYLOAD} } }`;
}

const REVIEW = `mutation($id: ID!, $input: ReviewCaseInput!) { reviewCase(id: $id, input: $input) { ${PAYLOAD} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateCaseInput!) { updateCase(id: $id, input: $input) { ${PAYLOAD} } }`;
const REFER = `mutation($input: CreateReferralInput!) { createReferral(input: $input) { referral { id } errors { code message field } } }`;
const PROGRAMMES = `{ programmes { code name sector partner { name portalOnly } } }`;

function ReviewForm({ c, busy, error, onSubmit, onCancel }) {
  const [sectors, setSectors] = useState(c.sectors);
  const [priority, setPriority] = useState(c.priority);
  const [note, setNote] = useState("");
  const first = useRef(null);
  useEffect(() => first.current && first.current.focus(), []);
  return html`<form class="note-form" aria-labelledby="review-title"
      onSubmit=${(e) => { e.preventDefault(); onSubmit({ sectors, priority, note }); }}>
    <h3 id="review-title">${label("CaseAction", "REVIEW")}</h3>
    <fieldset><legend>${t("sectors")}</legend>
      ${values("Sector").map((s, i) => html`<label class="check"><input type="checkbox" ref=${i === 0 ? first : null}
        checked=${sectors.includes(s)} onChange=${() => setSectors(sectors.includes(s) ? sectors.filter((x) => x !== s) : [...sectors, s])} />
        ${label("Sector", s)}</label>`)}
    </fieldset>
    <${Field} id="review-priority" label=${t("priority")}>
      <select id="review-priority" value=${priority} onChange=${(e) => setPriority(e.target.value)}>
        ${values("Priority").map((p) => html`<option value=${p}>${label("Priority", p)}</option>`)}
      </select>
    </${Field}>
    <${Field} id="review-note" label=${t("analysisNote")} required=${true} error=${error}>
      <textarea id="review-note" rows="3" required value=${note} onInput=${(e) => setNote(e.target.value)}></textarea>
    </${Field}>
    <div class="buttons"><button type="submit" class="primary" disabled=${busy}>${label("CaseAction", "REVIEW")}</button>
      <button type="button" onClick=${onCancel}>${t("cancel")}</button></div>
  </form>`;
}

function ReferForm({ c, busy, error, onSubmit, onCancel }) {
  const programmes = useLoad(() => query(PROGRAMMES).then(({ data }) => data.programmes), []);
  const suggested = new Set(c.suggestedReferrals.map((s) => s.programme));
  const open = new Set(c.referrals.filter((r) => !["REJECTED", "COMPLETED", "FAILED", "CANCELLED"].includes(r.status))
    .map((r) => r.programme.code));
  const [code, setCode] = useState("");
  const [reason, setReason] = useState("");
  const first = useRef(null);
  useEffect(() => first.current && first.current.focus(), [programmes.data]);
  const options = (programmes.data || []).filter((p) => p.partner && !open.has(p.code))
    .sort((a, b) => Number(suggested.has(b.code)) - Number(suggested.has(a.code)) || a.code.localeCompare(b.code));
  return html`<form class="note-form" aria-labelledby="refer-title"
      onSubmit=${(e) => { e.preventDefault(); onSubmit({ caseId: c.id, programmeCode: code, reason }); }}>
    <h3 id="refer-title">${label("CaseAction", "REFER")}</h3>
    <${Field} id="refer-programme" label=${t("programme")} required=${true}>
      <select id="refer-programme" ref=${first} required value=${code} onChange=${(e) => setCode(e.target.value)}>
        <option value="">${t("choose")}</option>
        ${options.map((p) => html`<option value=${p.code}>${suggested.has(p.code) ? "★ " : ""}${p.code} — ${p.name} (${p.partner.name}${p.partner.portalOnly ? `, ${t("portalOnly")}` : ""})</option>`)}
      </select>
    </${Field}>
    <${Field} id="refer-reason" label=${t("referralReason")} required=${true} error=${error}>
      <textarea id="refer-reason" rows="3" required value=${reason} onInput=${(e) => setReason(e.target.value)}></textarea>
    </${Field}>
    <div class="buttons"><button type="submit" class="primary" disabled=${busy}>${label("CaseAction", "REFER")}</button>
      <button type="button" onClick=${onCancel}>${t("cancel")}</button></div>
  </form>`;
}

function UpdateForm({ c, busy, error, onSubmit, onCancel }) {
  const [complaint, setComplaint] = useState(c.complaint);
  const [priority, setPriority] = useState(c.priority);
  const first = useRef(null);
  useEffect(() => first.current && first.current.focus(), []);
  return html`<form class="note-form" aria-labelledby="update-title"
      onSubmit=${(e) => { e.preventDefault(); onSubmit({ complaint, priority }); }}>
    <h3 id="update-title">${label("CaseAction", "UPDATE")}</h3>
    <${Field} id="update-complaint" label=${t("complaint")} required=${true} error=${error}>
      <textarea id="update-complaint" ref=${first} rows="4" value=${complaint} onInput=${(e) => setComplaint(e.target.value)}></textarea>
    </${Field}>
    <${Field} id="update-priority" label=${t("priority")}>
      <select id="update-priority" value=${priority} onChange=${(e) => setPriority(e.target.value)}>
        ${values("Priority").map((p) => html`<option value=${p}>${label("Priority", p)}</option>`)}
      </select>
    </${Field}>
    <div class="buttons"><button type="submit" class="primary" disabled=${busy}>${t("save")}</button>
      <button type="button" onClick=${onCancel}>${t("cancel")}</button></div>
  </form>`;
}

export function CaseActions({ c, onDone }) {
  // A household move is confirmed when the hub says one is pending (readable by its confirmers only).
  const actions = c.pendingHouseholdMove ? [...c.allowedActions, "CONFIRM_HOUSEHOLD_MOVE"] : c.allowedActions;
  const [open, setOpen] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);

  const run = async (q, vars, field) => {
    setBusy(true); setError(null);
    try {
      const payload = await mutate(q, vars, field);
      if (payload.errors.length) { setError(payload.errors.map((e) => e.message).join("; ")); return; }
      setOpen(null);
      onDone(field);
    } catch (e) {
      setError(e.message);
    } finally { setBusy(false); }
  };

  const start = (action) => {
    setError(null);
    if (action === "SUBMIT") run(simpleMutation("SUBMIT"), { id: c.id }, "submitCase");
    else setOpen(action);
  };
  const cancel = () => { setOpen(null); setError(null); };

  let form = null;
  if (open && SIMPLE[open]) {
    const [field, arg, required] = SIMPLE[open];
    form = html`<${NoteForm} id="action-note" title=${label("CaseAction", open)}
      fieldLabel=${arg === "reason" ? t("reason") : t("note")} required=${required}
      submitLabel=${label("CaseAction", open)} busy=${busy} error=${error} onCancel=${cancel}
      onSubmit=${(text) => run(simpleMutation(open), { id: c.id, [arg]: text.trim() || (required ? text : null) }, field)} />`;
  } else if (open === "REVIEW") {
    form = html`<${ReviewForm} c=${c} busy=${busy} error=${error} onCancel=${cancel}
      onSubmit=${(input) => run(REVIEW, { id: c.id, input }, "reviewCase")} />`;
  } else if (open === "REFER") {
    form = html`<${ReferForm} c=${c} busy=${busy} error=${error} onCancel=${cancel}
      onSubmit=${(input) => run(REFER, { input }, "createReferral")} />`;
  } else if (open === "UPDATE") {
    form = html`<${UpdateForm} c=${c} busy=${busy} error=${error} onCancel=${cancel}
      onSubmit=${(input) => run(UPDATE, { id: c.id, input }, "updateCase")} />`;
  }

  return html`<section class="actions" aria-labelledby="actions-title">
    <h2 id="actions-title">${t("actions")}</h2>
    ${c.pendingHouseholdMove ? html`<${Alert} kind="warning">${t("pendingMove")}</${Alert}>` : null}
    ${actions.length === 0 ? html`<p>${t("noActions")}</p>` : html`<div class="buttons">
      ${actions.map((a) => html`<button type="button" class=${a === "SUBMIT" || a === "APPROVE" || a === "REFER" ? "primary" : ""}
        data-action=${a} aria-expanded=${SIMPLE[a] && SIMPLE[a][1] || a === "REVIEW" || a === "REFER" || a === "UPDATE" ? String(open === a) : undefined}
        disabled=${busy} onClick=${() => start(a)}>${label("CaseAction", a)}</button>`)}
    </div>`}
    ${!open && error ? html`<${Alert} kind="error">${serverMessage(error)}</${Alert}>` : null}
    ${form}
  </section>`;
}
