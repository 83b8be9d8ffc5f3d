// Runs graphql-http's server audit suite (the GraphQL over HTTP specification's checks)
// against a served hub; prints one JSON line: every audit's id, name, status and reason.
// Usage: node audit.mjs URL TOKEN  (the token is sent as a bearer token with every request)
import { auditServer } from 'graphql-http';

const [url, token] = process.argv.slice(2);
const fetchFn = (input, init = {}) =>
  fetch(input, { ...init, headers: { ...(init.headers || {}), authorization: `Bearer ${token}` } });
const results = await auditServer({ url, fetchFn });
console.log(JSON.stringify(results.map((r) => ({ id: r.id, name: r.name, status: r.status, reason: r.reason ?? null }))));
