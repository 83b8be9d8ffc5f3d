// The console's only way to the hub: /graphql, with the caller's token — queries and
// mutations over HTTP, subscriptions over graphql-transport-ws.

import { createClient } from "graphql-ws";
import { onChange, signOut, token } from "./session.js";

export class HubError extends Error {
  constructor(kind, message, detail = {}) {
    super(message);
    this.kind = kind; // "network" | "unauthenticated" | "graphql"
    this.detail = detail;
  }
}

// POST one operation. Resolves to { data, errors } (GraphQL errors are data the screens read:
// a connector that is down nulls only its own field); rejects on network failure or 401.
export async function request(query, variables = {}) {
  const bearer = await token();
  let response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query, variables }),
    });
  } catch (e) {
    throw new HubError("network", e.message);
  }
  if (response.status === 401) {
    await signOut();
    throw new HubError("unauthenticated", "session ended");
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new HubError("network", `HTTP ${response.status}`);
  }
  return { data: body.data || null, errors: body.errors || [] };
}

// A query whose top-level errors (FORBIDDEN, NOT_FOUND, INTERNAL…) are failures of the whole screen.
export async function query(q, variables = {}) {
  const { data, errors } = await request(q, variables);
  const fatal = errors.filter((e) => (e.path || []).length <= 1);
  if (fatal.length) throw new HubError("graphql", fatal[0].message, fatal[0].extensions || {});
  return { data, errors };
}

// A mutation: its payload's `errors` (UserError) come back to the form; top-level errors throw.
export async function mutate(q, variables, field) {
  const { data } = await query(q, variables);
  return data[field];
}

let client = null;

function ws() {
  if (!client) {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    client = createClient({
      url: `${scheme}://${location.host}/graphql`,
      // Asked for at every (re)connection, so a renewed token is used after a reconnect.
      connectionParams: async () => ({ Authorization: `Bearer ${await token()}` }),
      retryAttempts: 1000,
      shouldRetry: () => true,
      lazy: true,
    });
  }
  return client;
}

onChange((state) => {
  if (state === null && client) {
    // Closing the socket on sign-out is expected: its close event is no error.
    Promise.resolve(client.dispose()).catch(() => undefined);
    client = null;
  }
});

// Calls onNext(data) for every event; returns the function that stops the subscription.
export function subscribe(q, variables, onNext) {
  return ws().subscribe({ query: q, variables }, {
    next: (message) => { if (message.data) onNext(message.data); },
    error: () => undefined, // the screen keeps working on queries; the client reconnects
    complete: () => undefined,
  });
}

// Where a GraphQL error points in the data (["case", "household", "members", 0, "healthCoverage"]).
export function errorsAt(errors, path) {
  const key = JSON.stringify(path);
  return errors.filter((e) => JSON.stringify(e.path || []) === key);
}
