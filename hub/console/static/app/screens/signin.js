// Sign-in: the identity provider (OIDC + PKCE), the demo's "masuk sebagai", or a pasted token.

import { useEffect, useState } from "preact/hooks";
import { html } from "../html.js";
import { label, lang, t } from "../i18n.js";
import { demoAccounts, loadConfig, signInDemo, signInOidc, signInWithToken } from "../session.js";
import { Alert, Field, Loading } from "../ui.js";

function accountLabel(a) {
  const where = a.partner || a.areaName;
  const pii = a.scopes.includes("pii:read") ? "" : ` (${lang() === "en" ? "numbers masked" : "NIK/KK tersamar"})`;
  return `${label("Role", a.role)}${where ? ` · ${where}` : ""}${pii}`;
}

export function SignInScreen({ onLang }) {
  const [config, setConfig] = useState(null);
  const [accounts, setAccounts] = useState(null);
  const [error, setError] = useState(null);
  const [pasted, setPasted] = useState("");

  useEffect(() => {
    loadConfig().then(async (c) => {
      setConfig(c);
      if (c.signIn === "demo") setAccounts(await demoAccounts());
      performance.mark("slrt:sign-in-ready");
    }).catch((e) => setError(e.message));
  }, []);

  const run = (fn) => fn().catch((e) => setError(e.message));

  return html`<main id="konten" class="signin">
    <div class="signin-top">
      <button type="button" lang=${lang() === "id" ? "en" : "id"} onClick=${onLang}>${t("switchLang")}</button>
    </div>
    <h1>${t("signInTitle")}</h1>
    <p>${t("signInIntro")}</p>
    ${error ? html`<${Alert} kind="error">${t("signInFailed", { why: error })}</${Alert}>` : null}
    ${!config ? html`<${Loading} />` : null}
    ${config && config.signIn === "oidc" ? html`
      <button type="button" class="primary" onClick=${() => run(signInOidc)}>${t("signInOidc")}</button>` : null}
    ${config && config.signIn === "none" ? html`<${Alert}>${t("signInNone")}</${Alert}>` : null}
    ${config && config.signIn === "demo" ? html`
      <section aria-labelledby="demo-title">
        <h2 id="demo-title">${t("signInDemo")}</h2>
        <p class="hint">${t("signInDemoNote")}</p>
        ${accounts ? html`<ul class="accounts">
          ${accounts.map((a) => html`<li><button type="button" data-account=${a.id}
              onClick=${() => run(() => signInDemo(a.id))}>${accountLabel(a)}</button></li>`)}
        </ul>` : html`<${Loading} />`}
      </section>` : null}
    ${config && config.pasteToken ? html`
      <details class="paste">
        <summary>${t("pasteToken")}</summary>
        <form onSubmit=${(e) => { e.preventDefault(); signInWithToken(pasted); }}>
          <${Field} id="paste-token" label=${t("pasteTokenLabel")}>
            <textarea id="paste-token" rows="3" value=${pasted} onInput=${(e) => setPasted(e.target.value)}></textarea>
          </${Field}>
          <button type="submit">${t("useToken")}</button>
        </form>
      </details>` : null}
  </main>`;
}
