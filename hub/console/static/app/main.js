// SLRT Konsol: sign-in, the frame (header, menu, language) and the screen of the route.

import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { query } from "./api.js";
import { html } from "./html.js";
import { label, lang, setLang, t } from "./i18n.js";
import { href, useRoute } from "./router.js";
import { completeOidcIfReturning, loadConfig, onChange, signedIn, signOut } from "./session.js";
import { ErrorState, Loading } from "./ui.js";
import { CaseScreen } from "./screens/case.js";
import { DashboardScreen } from "./screens/dashboard.js";
import { InboxScreen } from "./screens/inbox.js";
import { IntakeScreen } from "./screens/intake.js";
import { QueueScreen } from "./screens/queue.js";
import { ReferralsScreen } from "./screens/referrals.js";
import { SignInScreen } from "./screens/signin.js";

const VIEWER = `{ viewer { subject role scopes areaCode area { code name level } partner { id name portalOnly } } }`;

// The screens a caller's role and scopes open; the hub enforces the same on every field.
export function screensFor(viewer) {
  if (viewer.role === "PARTNER") return ["kotak"];
  const has = (s) => viewer.scopes.includes(s);
  const out = [];
  if (has("case:read")) out.push("antrian");
  if (has("case:write")) out.push("catat");
  if (has("referral:write") || has("case:approve") || has("admin")) out.push("rujukan");
  if (has("stats:read")) out.push("dasbor");
  return out;
}

const NAV = { antrian: "navQueue", catat: "navIntake", rujukan: "navReferrals", kotak: "navInbox", dasbor: "navDashboard" };

function Screen({ route, viewer, screens }) {
  const screen = route.screen === "kasus" && viewer.scopes.includes("case:read") ? "kasus"
    : screens.includes(route.screen) ? route.screen : screens[0];
  switch (screen) {
    case "antrian": return html`<${QueueScreen} viewer=${viewer} />`;
    case "kasus": return html`<${CaseScreen} id=${route.arg} viewer=${viewer} />`;
    case "catat": return html`<${IntakeScreen} viewer=${viewer} />`;
    case "rujukan": return html`<${ReferralsScreen} viewer=${viewer} />`;
    case "kotak": return html`<${InboxScreen} viewer=${viewer} />`;
    case "dasbor": return html`<${DashboardScreen} viewer=${viewer} />`;
    default: return html`<p>${t("forbidden")}</p>`;
  }
}

function Frame({ viewer, onLang }) {
  const route = useRoute();
  const screens = screensFor(viewer);
  const main = useRef(null);
  const first = useRef(true);
  useEffect(() => {
    // After navigating, reading starts at the new screen's content, as after a page load.
    if (first.current) { first.current = false; return; }
    main.current && main.current.focus();
  }, [route.screen, route.arg]);
  const where = viewer.partner ? viewer.partner.name : viewer.area ? viewer.area.name : "";
  const current = route.screen === "kasus" ? "antrian" : route.screen || screens[0];
  return html`
    <a class="skip" href="#konten" onClick=${(e) => { e.preventDefault(); main.current.focus(); }}>${t("skip")}</a>
    <header class="top">
      <p class="brand">${t("app")}</p>
      <p class="who" data-testid="who">${label("Role", viewer.role)}${where ? ` · ${where}` : ""}</p>
      <div class="top-actions">
        <button type="button" lang=${lang() === "id" ? "en" : "id"} onClick=${onLang}>${t("switchLang")}</button>
        <button type="button" data-action="sign-out" onClick=${() => signOut()}>${t("signOut")}</button>
      </div>
    </header>
    <nav class="menu" aria-label=${t("mainNav")}>
      <ul>${screens.map((s) => html`<li><a href=${href(s)} aria-current=${current === s ? "page" : undefined}>${t(NAV[s])}</a></li>`)}</ul>
    </nav>
    <main id="konten" tabindex="-1" ref=${main}>
      <${Screen} route=${route} viewer=${viewer} screens=${screens} />
    </main>`;
}

function App() {
  const [, setLangTick] = useState(0);
  const [session, setSession] = useState(signedIn());
  const [viewer, setViewer] = useState({ loading: false, data: null, error: null });

  useEffect(() => onChange(() => {
    // The next person to sign in starts at their own first screen, not at the last one's case.
    if (!signedIn()) history.replaceState(null, "", location.pathname);
    setSession(signedIn());
  }), []);
  useEffect(() => {
    if (!session) { setViewer({ loading: false, data: null, error: null }); return; }
    setViewer({ loading: true, data: null, error: null });
    query(VIEWER).then(({ data }) => {
      performance.mark("slrt:signed-in");
      setViewer({ loading: false, data: data.viewer, error: null });
    }, (error) => setViewer({ loading: false, data: null, error }));
  }, [session]);

  const switchLang = () => { setLang(lang() === "id" ? "en" : "id"); setLangTick((n) => n + 1); };
  if (!session) return html`<${SignInScreen} onLang=${switchLang} />`;
  if (viewer.error) return html`<main id="konten"><${ErrorState} error=${viewer.error} onRetry=${() => signOut()} /></main>`;
  if (!viewer.data) return html`<main id="konten"><${Loading} /></main>`;
  return html`<${Frame} viewer=${viewer.data} onLang=${switchLang} />`;
}

async function start() {
  setLang(lang());
  await loadConfig();
  await completeOidcIfReturning().catch((e) => console.error("sign-in callback failed", e));
  const root = document.getElementById("app");
  root.textContent = ""; // the "loading" line of index.html
  render(html`<${App} />`, root);
}

start().catch((e) => {
  document.getElementById("app").textContent = `SLRT Konsol: ${e.message}`;
});
