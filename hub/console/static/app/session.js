// Who is signed in. The access token lives in this module's memory only — never in
// localStorage or sessionStorage — so it is gone when the tab closes or reloads.
//
// Three ways in, chosen by /console/config.json:
// - "oidc": OpenID Connect authorization code + PKCE at SLRT_OAUTH_ISSUER (oidc-client-ts);
// - "demo": `slrt-hub demo` only, "masuk sebagai" one of the demo staff;
// - a pasted token (debug only), e.g. from `slrt-hub token`.

import { loadOidc } from "./oidc.js";

let config = null;
let state = null; // { token, expiresAt, how, account?, manager? }
const listeners = new Set();

export function onChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }
function changed() { for (const fn of listeners) fn(state); }

export async function loadConfig() {
  if (!config) {
    const r = await fetch("./config.json", { headers: { accept: "application/json" } });
    if (!r.ok) throw new Error(`config.json: HTTP ${r.status}`);
    config = await r.json();
  }
  return config;
}

export function signedIn() { return state !== null; }

function expiryOf(token) {
  // Only the expiry is read from the token, to renew it in time; the hub checks everything.
  try {
    const claims = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return typeof claims.exp === "number" ? claims.exp * 1000 : Date.now() + 5 * 60 * 1000;
  } catch {
    return Date.now() + 5 * 60 * 1000;
  }
}

export async function demoAccounts() {
  const r = await fetch("./demo/accounts", { headers: { accept: "application/json" } });
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  return r.json();
}

async function demoToken(account) {
  const r = await fetch("./demo/token", {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ account }),
  });
  if (!r.ok) throw new Error((await r.json().catch(() => ({}))).error || `HTTP ${r.status}`);
  return (await r.json()).accessToken;
}

export async function signInDemo(account) {
  const token = await demoToken(account);
  state = { token, expiresAt: expiryOf(token), how: "demo", account };
  changed();
}

export function signInWithToken(token) {
  const clean = token.trim().replace(/^Bearer\s+/i, "");
  state = { token: clean, expiresAt: expiryOf(clean), how: "pasted" };
  changed();
}

async function manager() {
  const cfg = await loadConfig();
  const oidc = await loadOidc();
  const here = `${location.origin}${location.pathname}`;
  return new oidc.UserManager({
    authority: cfg.issuer, client_id: cfg.clientId, redirect_uri: here, post_logout_redirect_uri: here,
    response_type: "code", scope: cfg.scope,
    // Tokens in memory; only the short-lived PKCE verifier and state cross the redirect
    // (in sessionStorage, removed once the code is exchanged).
    userStore: new oidc.WebStorageStateStore({ store: new oidc.InMemoryWebStorage() }),
    automaticSilentRenew: true,
  });
}

export async function signInOidc() {
  const m = await manager();
  await m.signinRedirect({ state: { hash: location.hash } });
}

// On return from the identity provider: exchange the code (PKCE) and forget the URL's query.
export async function completeOidcIfReturning() {
  const params = new URLSearchParams(location.search);
  if (!params.has("code") || !params.has("state")) return false;
  const m = await manager();
  const user = await m.signinCallback();
  history.replaceState(null, "", `${location.pathname}${(user && user.state && user.state.hash) || ""}`);
  m.events.addUserLoaded((u) => { if (state) { state.token = u.access_token; state.expiresAt = u.expires_at * 1000; } });
  state = { token: user.access_token, expiresAt: user.expires_at * 1000, how: "oidc", manager: m };
  changed();
  return true;
}

// The current token, renewed first when it is about to expire (demo: a fresh one for the same account).
export async function token() {
  if (!state) return null;
  if (state.expiresAt - Date.now() < 60 * 1000) {
    if (state.how === "demo") {
      state.token = await demoToken(state.account);
      state.expiresAt = expiryOf(state.token);
    } else if (state.how === "oidc") {
      const u = await state.manager.signinSilent().catch(() => null);
      if (u) { state.token = u.access_token; state.expiresAt = u.expires_at * 1000; }
    }
  }
  return state.token;
}

export async function signOut() {
  const was = state;
  state = null;
  changed();
  if (was && was.how === "oidc") {
    await was.manager.signoutRedirect().catch(() => undefined);
  }
}
