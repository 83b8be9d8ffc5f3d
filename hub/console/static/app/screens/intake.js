// Catat keluhan: the household, its members and the complaint. NIK/KK are checked as they are
// typed with the hub's own rules and messages; the hub's field errors appear at their field;
// a retried submission reuses its idempotency key, so a flaky connection never records twice.

import { useMemo, useRef, useState } from "preact/hooks";
import { mutate, query } from "../api.js";
import { checkKk, checkMember } from "../checks.js";
import { html } from "../html.js";
import { label, serverMessage, t, values } from "../i18n.js";
import { go } from "../router.js";
import { Alert, Field, useLoad } from "../ui.js";

const RECORD = `mutation($input: RecordCaseInput!, $key: String) {
  recordCase(input: $input, idempotencyKey: $key) { case { id number status } errors { code message field } } }`;
const AREAS = `query Areas($parent: ID) { areas(parentCode: $parent) { code name level } }`;

const CHANNEL_OF = { FACILITATOR: "FACILITATOR", PUSKESOS_OPERATOR: "PUSKESOS", FRONT_OFFICE: "SECRETARIAT" };

function newKey() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

const blankMember = (relationship = "HEAD") => ({ nik: "", name: "", birthDate: "", sex: "", relationship });

// The hub's error path → the id of the control it names.
function fieldId(path) {
  const p = path.join(".");
  let m = /^input\.household\.members\.(\d+)\.(\w+)$/.exec(p);
  if (m) return `member-${m[1]}-${m[2]}`;
  m = /^input\.household\.(\w+)$/.exec(p);
  if (m) return `hh-${m[1]}`;
  m = /^input\.subjectNiks(\.\d+)?$/.exec(p);
  if (m) return "subjects";
  m = /^input\.(\w+)$/.exec(p);
  if (m) return `case-${m[1]}`;
  return "form";
}

export function IntakeScreen({ viewer }) {
  const villages = useLoad(async () => {
    if (viewer.area && viewer.area.level === "VILLAGE") return [viewer.area];
    const { data } = await query(AREAS, { parent: viewer.areaCode });
    const districts = data.areas.filter((a) => a.level === "DISTRICT");
    if (!districts.length) return data.areas.filter((a) => a.level === "VILLAGE");
    const nested = await Promise.all(districts.map((d) => query(AREAS, { parent: d.code })));
    return nested.flatMap(({ data: n }) => n.areas);
  }, [viewer.areaCode]);

  const [form, setForm] = useState({
    channel: CHANNEL_OF[viewer.role] || "FACILITATOR", village: viewer.area && viewer.area.level === "VILLAGE" ? viewer.areaCode : "",
    kk: "", address: "", rt: "", rw: "", members: [blankMember()], subjects: [], complaint: "", sectors: [], priority: "NORMAL",
  });
  const [touched, setTouched] = useState({});
  const [serverErrors, setServerErrors] = useState({});
  const [state, setState] = useState({ busy: false, failed: false, message: null });
  const key = useRef(newKey()); // one key per keluhan, kept across retries

  const set = (patch) => { setForm({ ...form, ...patch }); setServerErrors({}); };
  const setMember = (i, patch) => set({ members: form.members.map((m, j) => (j === i ? { ...m, ...patch } : m)) });
  const touch = (id) => setTouched({ ...touched, [id]: true });

  // Checks as the user types (shown once a field was left, or after a submit).
  const local = useMemo(() => {
    const out = {};
    const kk = checkKk(form.kk);
    if (kk) out["hh-kkNumber"] = kk;
    form.members.forEach((m, i) => {
      for (const [f, msg] of Object.entries(checkMember(m))) out[`member-${i}-${f}`] = msg;
    });
    return out;
  }, [form]);
  const errorOf = (id) => serverErrors[id] || (touched[id] || touched.all ? local[id] : undefined);

  const submit = async (e) => {
    e.preventDefault();
    setTouched({ ...touched, all: true });
    if (Object.keys(local).length) {
      setState({ busy: false, failed: false, message: t("fixErrors", { n: Object.keys(local).length }) });
      focusFirstError();
      return;
    }
    setState({ busy: true, failed: false, message: null });
    const input = {
      channel: form.channel, villageCode: form.village,
      household: { kkNumber: form.kk, address: form.address, rt: form.rt || null, rw: form.rw || null,
        members: form.members.map((m) => ({ nik: m.nik, name: m.name, birthDate: m.birthDate || null, sex: m.sex || null,
          relationship: m.relationship })) },
      subjectNiks: form.subjects, complaint: form.complaint, sectors: form.sectors, priority: form.priority,
    };
    try {
      const payload = await mutate(RECORD, { input, key: key.current }, "recordCase");
      if (payload.errors.length) {
        const byField = {};
        for (const err of payload.errors) byField[fieldId(err.field || [])] ||= err.message;
        setServerErrors(byField);
        setState({ busy: false, failed: false, message: t("fixErrors", { n: payload.errors.length }) });
        focusFirstError();
        return;
      }
      key.current = newKey();
      go("kasus", payload.case.id);
    } catch (err) {
      // Network trouble: the same key goes with the retry, so the hub hands back the same case.
      setState({ busy: false, failed: err.kind === "network", message: err.kind === "network" ? t("retrySame") : serverMessage(err.message) });
    }
  };

  const text = (id, labelText, value, onValue, extra = {}) => html`<${Field} id=${id} label=${labelText}
      required=${extra.required} error=${errorOf(id)} hint=${extra.hint}>
    ${({ describedBy, invalid }) => html`<input id=${id} type=${extra.type || "text"} value=${value} inputmode=${extra.inputmode}
      maxlength=${extra.maxlength} required=${extra.required} autocomplete="off" aria-describedby=${describedBy}
      aria-invalid=${invalid} onInput=${(e) => onValue(e.target.value)} onBlur=${() => touch(id)} />`}
  </${Field}>`;

  const select = (id, labelText, value, onValue, options, required = true) => html`<${Field} id=${id} label=${labelText}
      required=${required} error=${errorOf(id)}>
    ${({ describedBy, invalid }) => html`<select id=${id} value=${value} required=${required} aria-describedby=${describedBy}
      aria-invalid=${invalid} onChange=${(e) => onValue(e.target.value)} onBlur=${() => touch(id)}>
      <option value="">${t("choose")}</option>
      ${options.map(([v, l]) => html`<option value=${v}>${l}</option>`)}
    </select>`}
  </${Field}>`;

  const validMembers = form.members.filter((m) => /^\d{16}$/.test(m.nik));
  return html`<div class="screen">
    <h1>${t("intakeTitle")}</h1>
    <p>${t("intakeIntro")}</p>
    <form class="intake" onSubmit=${submit} novalidate>
      ${state.message ? html`<${Alert} kind=${state.failed ? "warning" : "error"}>
        <p id="form-error">${state.message}</p>
        ${state.failed ? html`<button type="submit" data-retry="yes">${t("retry")}</button>` : null}
      </${Alert}>` : null}
      <fieldset><legend>${t("complaint")}</legend>
        <div class="row">
          ${select("case-channel", t("channel"), form.channel, (v) => set({ channel: v }),
            values("Channel").map((c) => [c, label("Channel", c)]))}
          ${select("case-villageCode", t("village"), form.village, (v) => set({ village: v }),
            (villages.data || []).map((a) => [a.code, a.name]))}
          ${select("case-priority", t("priority"), form.priority, (v) => set({ priority: v }),
            values("Priority").map((p) => [p, label("Priority", p)]))}
        </div>
        <${Field} id="case-complaint" label=${t("complaint")} required=${true} error=${errorOf("case-complaint")}>
          ${({ describedBy, invalid }) => html`<textarea id="case-complaint" rows="4" required value=${form.complaint}
            aria-describedby=${describedBy} aria-invalid=${invalid} onInput=${(e) => set({ complaint: e.target.value })}></textarea>`}
        </${Field}>
        <fieldset id="case-sectors" class=${errorOf("case-sectors") ? "has-error" : ""}
            aria-describedby=${errorOf("case-sectors") ? "case-sectors-error" : undefined}>
          <legend>${t("sectors")} <span class="req">(${t("required")})</span></legend>
          ${values("Sector").map((s) => html`<label class="check"><input type="checkbox" value=${s} checked=${form.sectors.includes(s)}
            onChange=${() => set({ sectors: form.sectors.includes(s) ? form.sectors.filter((x) => x !== s) : [...form.sectors, s] })} />
            ${label("Sector", s)}</label>`)}
          ${errorOf("case-sectors") ? html`<p class="error" id="case-sectors-error">${serverMessage(errorOf("case-sectors"))}</p>` : null}
        </fieldset>
      </fieldset>

      <fieldset><legend>${t("household")}</legend>
        <div class="row">
          ${text("hh-kkNumber", t("kk"), form.kk, (v) => set({ kk: v.replace(/\s/g, "") }), { required: true, inputmode: "numeric", maxlength: 16 })}
          ${text("hh-address", t("address"), form.address, (v) => set({ address: v }), { required: true })}
          ${text("hh-rt", t("rt"), form.rt, (v) => set({ rt: v }), { inputmode: "numeric", maxlength: 3 })}
          ${text("hh-rw", t("rw"), form.rw, (v) => set({ rw: v }), { inputmode: "numeric", maxlength: 3 })}
        </div>
        ${form.members.map((m, i) => html`<fieldset class="member-fields" data-member=${i}>
          <legend>${t("member", { n: i + 1 })}</legend>
          <div class="row">
            ${text(`member-${i}-nik`, t("nik"), m.nik, (v) => setMember(i, { nik: v.replace(/\s/g, "") }), { required: true, inputmode: "numeric", maxlength: 16 })}
            ${text(`member-${i}-name`, t("name"), m.name, (v) => setMember(i, { name: v }), { required: true })}
            ${text(`member-${i}-birthDate`, t("birthDate"), m.birthDate, (v) => setMember(i, { birthDate: v }), { required: true, type: "date" })}
            ${select(`member-${i}-sex`, t("sex"), m.sex, (v) => setMember(i, { sex: v }), values("Sex").map((s) => [s, label("Sex", s)]))}
            ${select(`member-${i}-relationship`, t("relationship"), m.relationship, (v) => setMember(i, { relationship: v }),
              values("Relationship").map((r) => [r, label("Relationship", r)]))}
          </div>
          ${form.members.length > 1 ? html`<button type="button" onClick=${() => set({
            members: form.members.filter((_, j) => j !== i), subjects: form.subjects.filter((n) => n !== m.nik) })}>
            ${t("removeMember", { n: i + 1 })}</button>` : null}
        </fieldset>`)}
        <button type="button" data-add-member="yes" onClick=${() => set({ members: [...form.members, blankMember("CHILD")] })}>${t("addMember")}</button>
      </fieldset>

      <fieldset id="subjects" class=${errorOf("subjects") ? "has-error" : ""}
          aria-describedby=${errorOf("subjects") ? "subjects-error" : undefined}>
        <legend>${t("subjects")} <span class="req">(${t("required")})</span></legend>
        ${validMembers.length === 0 ? html`<p class="hint">${t("pickSubject")}</p>` : validMembers.map((m) => html`<label class="check">
          <input type="checkbox" value=${m.nik} checked=${form.subjects.includes(m.nik)} onChange=${() => set({ subjects: form.subjects.includes(m.nik)
            ? form.subjects.filter((n) => n !== m.nik) : [...form.subjects, m.nik] })} /> ${m.name || "—"} (${m.nik})</label>`)}
        ${errorOf("subjects") ? html`<p class="error" id="subjects-error">${serverMessage(errorOf("subjects"))}</p>` : null}
      </fieldset>

      <div class="buttons"><button type="submit" class="primary" disabled=${state.busy}>${state.busy ? t("saving") : t("saveDraft")}</button></div>
    </form>
  </div>`;
}

function focusFirstError() {
  requestAnimationFrame(() => {
    const first = document.querySelector("[aria-invalid='true'], fieldset.has-error input, #form-error");
    if (first) first.focus ? first.focus() : null;
  });
}
