// Retention and legal holds: how long each kind of record is kept (organisation-wide or for one team) and change a
// period; every legal hold, active or released, and place or release one. Changes need a fresh second factor and
// are audited by the server exactly like `wardline admin retention` and `wardline admin hold`.
import { el, field, say, show, statusArea } from "../../../app/src/ui.js";
import { messageFor } from "../../../app/src/screens/signIn.js";
import { KINDS, retentionRows, when } from "../format.js";
import { nameOf } from "../shell.js";
import { table } from "../table.js";

/** A matter reference as the server accepts it: a short code, never free text (which could carry PHI). */
const MATTER = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;

export async function renderRecords(context) {
  const { session, main } = context;
  const teams = new Map();
  const policyStatus = statusArea();
  const policies = el("div", { class: "results" });
  const holdStatus = statusArea();
  const holds = el("div", { class: "results" });

  async function loadTeams() {
    if (!session.me.permissions.includes("user_read")) return;
    const { teams: list } = await session.api("GET", "/v1/admin/teams");
    teams.clear();
    list.forEach((t) => teams.set(t.id, t));
  }

  async function loadPolicies(message) {
    try {
      const { policies: list } = await session.api("GET", "/v1/admin/retention/policies");
      policies.replaceChildren(table("Retention periods in force", ["Records", "Applies to", "Kept for", "Last changed"],
        retentionRows(list).map((r) => [r.label, r.teamId ? `Team ${teams.get(r.teamId)?.name ?? r.teamId}` : "The whole organisation",
          el("span", { "data-policy": `${r.kind}:${r.teamId ?? "organisation"}` }, r.kept),
          r.updatedAt ? `${when(r.updatedAt)} by ${nameOf(context, r.updatedBy)}` : "—"])));
      if (message) say(policyStatus, message, "ok");
    } catch (error) {
      say(policyStatus, messageFor(error), "bad");
    }
  }

  async function loadHolds(message) {
    try {
      const { holds: list } = await session.api("GET", "/v1/admin/legal-holds");
      holds.replaceChildren(list.length === 0 ? el("p", {}, "No legal hold has been placed.")
        : table(`${list.filter((h) => h.active).length} active of ${list.length} legal hold${list.length === 1 ? "" : "s"}`,
          ["Matter", "Covers", "Placed", "State", "Action"],
          list.map((h) => [h.matter, covers(h), `${when(h.placedAt)} by ${nameOf(context, h.placedBy)}`,
            el("span", { "data-hold": h.id, "data-state": h.active ? "active" : "released" },
              h.active ? "Active: nothing it covers is deleted" : `Released ${when(h.releasedAt)} by ${nameOf(context, h.releasedBy)}`),
            h.active ? releaseButton(h) : "—"])));
      if (message) say(holdStatus, message, "ok");
    } catch (error) {
      say(holdStatus, messageFor(error), "bad");
    }
  }

  function covers(h) {
    if (h.scope === "user") return `User ${nameOf(context, h.subjectId)}`;
    if (h.scope === "team") return `Team ${teams.get(h.subjectId)?.name ?? h.subjectId}`;
    return `Conversation ${h.subjectId}`;
  }

  function releaseButton(h) {
    const cell = el("div", { class: "actions" });
    const release = el("button", { type: "button", class: "secondary", "aria-label": `Release hold ${h.matter}` }, "Release");
    release.addEventListener("click", () => {
      const yes = el("button", { type: "button", class: "danger" }, "Yes, release");
      const no = el("button", { type: "button", class: "secondary" }, "Keep it");
      cell.replaceChildren(el("p", { class: "confirm" }, `Release ${h.matter}? Retention may then delete what it covered.`), yes, no);
      no.addEventListener("click", () => { cell.replaceChildren(release); release.focus(); });
      yes.addEventListener("click", async () => {
        say(holdStatus, `Releasing ${h.matter}…`);
        try {
          await session.api("POST", `/v1/admin/legal-holds/${h.id}/release`);
          await loadHolds(`Hold ${h.matter} released.`);
        } catch (error) {
          say(holdStatus, messageFor(error), "bad");
        }
      });
      yes.focus();
    });
    cell.append(release);
    return cell;
  }

  // Change a retention period.
  const kind = el("select", { id: "retention-kind", name: "kind" }, ...KINDS.map((k) => el("option", { value: k.kind }, k.label)));
  const scope = el("select", { id: "retention-scope", name: "teamId" });
  const days = field("Keep for (days)", { name: "days", type: "number", min: "1", max: "36500", step: "1", inputmode: "numeric", required: true },
    "1 to 36500 days. Audit entries are kept at least 2192 days (six years), organisation-wide.");
  const policyForm = el("form", { class: "search", novalidate: true, "aria-label": "Change a retention period" },
    el("div", { class: "field" }, el("label", { for: "retention-kind" }, "Records"), kind),
    el("div", { class: "field" }, el("label", { for: "retention-scope" }, "Applies to"), scope),
    days.node, el("div", { class: "actions" }, el("button", { type: "submit" }, "Set retention period")));
  policyForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = days.input.value.trim();
    if (!/^[0-9]+$/.test(value) || Number(value) < 1 || Number(value) > 36500) {
      say(policyStatus, "Enter a whole number of days from 1 to 36500.", "bad");
      return;
    }
    const body = { days: Number(value), ...(scope.value ? { teamId: scope.value } : {}) };
    say(policyStatus, "Saving…");
    try {
      await session.api("PUT", `/v1/admin/retention/policies/${kind.value}`, body);
      const label = KINDS.find((k) => k.kind === kind.value).label;
      await loadPolicies(`${label} are now kept ${value} days ${scope.value ? `for team ${teams.get(scope.value)?.name}` : "across the organisation"}.`);
    } catch (error) {
      say(policyStatus, messageFor(error), "bad");
    }
  });

  // Place a legal hold.
  const matter = field("Matter reference", { name: "matter", maxlength: "64", spellcheck: "false", autocomplete: "off", required: true },
    "A short code such as LIT-2026-014, never a patient's name.");
  const holdScope = el("select", { id: "hold-scope", name: "scope" }, el("option", { value: "user" }, "A user's files, links and conversations"),
    el("option", { value: "team" }, "A team: each member's"), el("option", { value: "conversation" }, "One conversation's messages"));
  const subject = el("select", { id: "hold-subject", name: "subjectId" });
  const conversation = field("Conversation ID", { name: "conversationId", inputmode: "numeric", spellcheck: "false" },
    "The number the incident or the CLI names.");
  const subjectField = el("div", { class: "field" }, el("label", { for: "hold-subject" }, "Whose"), subject);
  const holdForm = el("form", { class: "search", novalidate: true, "aria-label": "Place a legal hold" },
    matter.node, el("div", { class: "field" }, el("label", { for: "hold-scope" }, "Covers"), holdScope), subjectField, conversation.node,
    el("div", { class: "actions" }, el("button", { type: "submit" }, "Place legal hold")));
  function subjects() {
    const byTeam = holdScope.value === "team";
    subjectField.hidden = holdScope.value === "conversation";
    conversation.node.hidden = holdScope.value !== "conversation";
    const entries = byTeam ? [...teams.values()].map((t) => [t.id, t.name]) : [...context.users.values()].map((u) => [u.id, u.username]);
    subject.replaceChildren(...entries.sort((a, b) => a[1].localeCompare(b[1])).map(([id, name]) => el("option", { value: id }, name)));
  }
  holdScope.addEventListener("change", subjects);
  holdForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const reference = matter.input.value.trim();
    if (!MATTER.test(reference)) {
      say(holdStatus, "The matter reference is a short code of letters, digits and . _ : / - (at most 64), such as LIT-2026-014.", "bad");
      return;
    }
    const subjectId = holdScope.value === "conversation" ? conversation.input.value.trim() : subject.value;
    if (!subjectId) {
      say(holdStatus, holdScope.value === "conversation" ? "Enter the conversation's ID." : "Choose whose records the hold covers.", "bad");
      return;
    }
    say(holdStatus, `Placing ${reference}…`);
    try {
      await session.api("POST", "/v1/admin/legal-holds", { scope: holdScope.value, subjectId, matter: reference });
      matter.input.value = "";
      await loadHolds(`Hold ${reference} placed: retention deletes nothing it covers until it is released.`);
    } catch (error) {
      say(holdStatus, messageFor(error), "bad");
    }
  });

  show(main, el("h1", {}, "Retention and legal holds"),
    el("p", {}, "How long Wardline keeps each kind of record before retention deletes it, and the legal holds that stop it. Each change asks for your authenticator code and is audited."),
    el("h2", {}, "Retention periods"), policyStatus, policies,
    el("h3", {}, "Change a retention period"), policyForm,
    el("h2", {}, "Legal holds"), holdStatus, holds,
    el("h3", {}, "Place a legal hold"), holdForm);
  try {
    await loadTeams();
  } catch (error) {
    say(policyStatus, messageFor(error), "bad");
  }
  scope.replaceChildren(el("option", { value: "" }, "The whole organisation"),
    ...[...teams.values()].sort((a, b) => a.name.localeCompare(b.name)).map((t) => el("option", { value: t.id }, `Team ${t.name}`)));
  subjects();
  await Promise.all([loadPolicies(), loadHolds()]);
}
