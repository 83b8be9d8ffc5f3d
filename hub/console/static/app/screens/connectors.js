// One panel per sector system. A system that is down says so ("sistem tidak tersedia") and
// only its panel is affected: the hub nulls that one field and the rest of the case is there.

import { errorsAt } from "../api.js";
import { html } from "../html.js";
import { formatDate, t } from "../i18n.js";

// connector name → [GraphQL field, entity, selection, label key]
export const CONNECTORS = {
  siks_ng: ["welfare", "household", "inDtsen decile programmes lastUpdated", "welfare"],
  pupr: ["housing", "household", "habitable conditionScore roof wall floor bspsYear", "housing"],
  dukcapil: ["civilRegistry", "member", "nikMatch registeredName alive", "civilRegistry", true],
  bpjs: ["healthCoverage", "member", "active segment careClass primaryFacility", "healthCoverage", true],
  education: ["education", "member", "enrolled school level grade kipHolder pipReceivedThisYear", "education"],
};

// The connector fields to ask for: enabled ones, and those carrying personal data only with pii:read.
export function connectorSelections(enabled, seesPii) {
  const household = [];
  const member = [];
  for (const [name, [field, entity, selection, , personal]] of Object.entries(CONNECTORS)) {
    if (!enabled.includes(name)) continue;
    if (personal && !seesPii) continue;
    (entity === "household" ? household : member).push(`${field} { ${selection} }`);
  }
  return { household: household.join(" "), member: member.join(" ") };
}

const yesNo = (v) => (v ? t("yes") : t("no"));

function facts(field, value) {
  switch (field) {
    case "welfare": return [[t("inDtsen"), yesNo(value.inDtsen)], [t("decile"), value.decile ?? "—"],
      [t("programmesReceived"), value.programmes.join(", ") || t("none")]];
    case "housing": return [[t("habitable"), value.habitable ? t("yes") : t("rtlh")], [t("conditionScore"), value.conditionScore],
      [t("bspsYear"), value.bspsYear ?? t("none")]];
    case "civilRegistry": return [[t("nikMatch"), value.nikMatch === "MATCH" ? t("yes") : t("no")],
      [t("name"), value.registeredName], [t("alive"), yesNo(value.alive)]];
    case "healthCoverage": return [[t("jknActive"), yesNo(value.active)], [t("segment"), value.segment],
      [t("careClass"), value.careClass], [t("facility"), value.primaryFacility]];
    case "education": return [[t("enrolled"), yesNo(value.enrolled)], [t("school"), `${value.school} (${value.level} ${value.grade})`],
      [t("kip"), yesNo(value.kipHolder)], [t("pip"), yesNo(value.pipReceivedThisYear)]];
    default: return [];
  }
}

// `path` is where the field sits in the response, to find its error.
export function ConnectorPanel({ name, entity, errors, path }) {
  const [field, , , key] = CONNECTORS[name];
  const value = entity ? entity[field] : undefined;
  const problems = errorsAt(errors, [...path, field]);
  const down = problems.find((e) => e.extensions && e.extensions.code === "CONNECTOR_UNAVAILABLE");
  const forbidden = problems.find((e) => e.extensions && e.extensions.code === "FORBIDDEN");
  const system = t(key);
  let body;
  let state = "ok";
  if (value === undefined && !problems.length) { body = html`<p>${t("needsPii")}</p>`; state = "pii"; }
  else if (down) {
    state = "down";
    body = html`<p class="down"><strong>⚠ ${t("unavailable")}</strong></p><p>${t("unavailableHint", { system })}</p>`;
  } else if (forbidden) { body = html`<p>${t("needsPii")}</p>`; state = "pii"; }
  else if (value === null) { body = html`<p>${t("notFoundThere", { system })}</p>`; state = "none"; }
  else {
    body = html`<dl>${facts(field, value).map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
      ${value.lastUpdated ? html`<p class="hint">${formatDate(value.lastUpdated)}</p>` : null}`;
  }
  return html`<section class=${`panel panel-${state}`} data-connector=${name} data-state=${state}
      aria-label=${system}>
    <h4>${system}</h4>${body}
  </section>`;
}
