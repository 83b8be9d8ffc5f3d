// Small shared pieces: labelled fields, status badges, alerts, loading and error states.

import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "./html.js";
import { formatDateTime, label, serverMessage, t } from "./i18n.js";

let nextId = 0;
export function useId(prefix) {
  const ref = useRef(null);
  if (ref.current === null) ref.current = `${prefix}-${++nextId}`;
  return ref.current;
}

// A labelled control with its hint and error tied to it (aria-describedby, aria-invalid).
export function Field({ id, label: text, error, hint, required, children }) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  const control = typeof children === "function" ? children({ id, describedBy, invalid: Boolean(error) }) : children;
  return html`<div class=${`field${error ? " has-error" : ""}`}>
    <label for=${id}>${text}${required ? html` <span class="req">(${t("required")})</span>` : null}</label>
    ${hint ? html`<p class="hint" id=${`${id}-hint`}>${hint}</p>` : null}
    ${control}
    ${error ? html`<p class="error" id=${`${id}-error`} data-field-error=${id}>${serverMessage(error)}</p>` : null}
  </div>`;
}

export function Badge({ kind, value, testid }) {
  return html`<span class=${`badge badge-${kind}-${value}`} data-testid=${testid}>${label(kind, value)}</span>`;
}

export function Alert({ kind = "info", children }) {
  return html`<div class=${`alert alert-${kind}`} role=${kind === "error" ? "alert" : "status"}>${children}</div>`;
}

export function Loading() {
  return html`<p class="loading" role="status">${t("loading")}</p>`;
}

export function describeError(error) {
  if (!error) return "";
  if (error.kind === "network") return t("networkError");
  if (error.kind === "unauthenticated") return t("sessionEnded");
  const code = error.detail && error.detail.code;
  if (code === "FORBIDDEN") return t("forbidden");
  if (code === "NOT_FOUND") return t("notFound");
  if (code === "INTERNAL") return t("internal", { id: error.detail.requestId || "-" });
  return serverMessage(error.message);
}

export function ErrorState({ error, onRetry }) {
  return html`<${Alert} kind="error">
    <p>${describeError(error)}</p>
    ${onRetry ? html`<button type="button" onClick=${onRetry}>${t("retry")}</button>` : null}
  </${Alert}>`;
}

// Runs `load` on mount and whenever `deps` change; `reload()` runs it again.
export function useLoad(load, deps) {
  const [state, setState] = useState({ loading: true, data: null, error: null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let alive = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    load().then((data) => alive && setState({ loading: false, data, error: null }),
      (error) => alive && setState({ loading: false, data: null, error }));
    return () => { alive = false; };
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((n) => n + 1) };
}

// A note or reason asked for before an action; focus goes to it when it opens.
export function NoteForm({ id, title, fieldLabel, required, submitLabel, busy, error, onSubmit, onCancel, children }) {
  const [text, setText] = useState("");
  const ref = useRef(null);
  useEffect(() => { ref.current && ref.current.focus(); }, []);
  const submit = (e) => { e.preventDefault(); onSubmit(text); };
  return html`<form class="note-form" onSubmit=${submit} aria-labelledby=${`${id}-title`}>
    <h3 id=${`${id}-title`}>${title}</h3>
    ${children}
    <${Field} id=${id} label=${fieldLabel} required=${required} error=${error}>
      ${({ describedBy, invalid }) => html`<textarea id=${id} ref=${ref} rows="3" value=${text} required=${required}
        aria-describedby=${describedBy} aria-invalid=${invalid} onInput=${(e) => setText(e.target.value)}></textarea>`}
    </${Field}>
    <div class="buttons">
      <button type="submit" class="primary" disabled=${busy}>${submitLabel}</button>
      <button type="button" onClick=${onCancel}>${t("cancel")}</button>
    </div>
  </form>`;
}

export function When({ at }) {
  return html`<time datetime=${at}>${formatDateTime(at)}</time>`;
}

// A caption that says what the numbers are; masked numbers are shown exactly as the hub sent them.
export function Masked({ value }) {
  const masked = typeof value === "string" && value.includes("*");
  return html`<span class=${masked ? "masked" : "number"} data-masked=${masked ? "yes" : "no"}>${value}</span>`;
}
