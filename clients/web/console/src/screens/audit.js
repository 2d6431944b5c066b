// The audit trail: find entries by user, object (a file, a device, a link) or time, or the one entry an alert names,
// or those of the links sent to a patient's e-mail address or phone number (the server compares it as a keyed hash
// and records only that a contact was searched); check that the whole chain verifies; export a time range as a file.
import { el, field, say, show, statusArea } from "../../../app/src/ui.js";
import { messageFor } from "../../../app/src/screens/signIn.js";
import { auditQuery, when } from "../format.js";
import { nameOf } from "../shell.js";
import { table } from "../table.js";

export async function renderAudit(context, { seq, actor } = {}) {
  const { session, main } = context;
  const user = el("select", { id: "audit-user", name: "actor" }, el("option", { value: "" }, "Anyone"),
    ...[...context.users.values()].sort((a, b) => a.username.localeCompare(b.username))
      .map((u) => el("option", { value: u.id, selected: u.id === actor }, u.username)));
  const object = field("File, device or other object ID", { name: "objectId", maxlength: "128", spellcheck: "false" },
    "As the trail names it, e.g. a file ID.");
  const from = field("From (UTC)", { name: "from", type: "datetime-local" });
  const to = field("Until (UTC)", { name: "to", type: "datetime-local" });
  const entry = field("Entry number", { name: "seq", inputmode: "numeric", pattern: "[0-9]*", value: seq ? String(seq) : "" });
  const status = statusArea();
  const results = el("div", { class: "results" });
  const search = el("form", { class: "search", novalidate: true, "aria-label": "Search the audit trail" },
    el("div", { class: "field" }, el("label", { for: "audit-user" }, "By user"), user),
    object.node, from.node, to.node, entry.node,
    el("div", { class: "actions" }, el("button", { type: "submit" }, "Search")));
  search.addEventListener("submit", (event) => { event.preventDefault(); find(); });

  const contact = field("Patient contact: e-mail address or phone number", { name: "contact", maxlength: "320", autocomplete: "off",
    spellcheck: "false" }, "Finds every entry of the links sent to it, within From and Until above if given. The contact is not written to the trail.");
  const byContact = el("form", { class: "inline contact", novalidate: true, "aria-label": "Search by patient contact" }, contact.node,
    el("div", { class: "actions" }, el("button", { type: "submit" }, "Find links to this contact")));
  byContact.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = contact.input.value.trim();
    if (!value) {
      say(status, "Enter the e-mail address or phone number the links were sent to.", "bad");
      return;
    }
    say(status, "Searching…");
    try {
      const range = Object.fromEntries(new URLSearchParams(auditQuery({ from: from.input.value, to: to.input.value })));
      shown(await session.api("POST", "/v1/admin/audit/entries/by-contact", { contact: value, ...range }), "Entries of links sent to this contact, newest first");
    } catch (error) {
      say(status, messageFor(error), "bad");
    }
  });

  function shown(answer, caption) {
    results.replaceChildren(answer.entries.length === 0 ? el("p", {}, "No entries match.")
      : table(caption, ["Entry", "When", "Action", "By", "Object", "Outcome", "Details"],
        answer.entries.map((e) => [String(e.seq), when(e.occurredAt), e.action, nameOf(context, e.actorUserId),
          e.objectType ? `${e.objectType} ${e.objectId ?? ""}` : "—", e.outcome,
          el("code", {}, JSON.stringify(e.details))]), { "data-results": "audit" }));
    say(status, `${answer.entries.length} entr${answer.entries.length === 1 ? "y" : "ies"} found${answer.more ? "; more match, narrow the search to see them" : ""}.`, "ok");
  }

  async function find() {
    if (entry.input.value && !/^[0-9]+$/.test(entry.input.value.trim())) {
      say(status, "The entry number is a whole number, such as 1024.", "bad");
      return;
    }
    say(status, "Searching…");
    try {
      const query = auditQuery({ actor: user.value, objectId: object.input.value, from: from.input.value, to: to.input.value,
        seq: entry.input.value.trim() });
      shown(await session.api("GET", `/v1/admin/audit/entries${query ? `?${query}` : ""}`), "Matching audit entries, newest first");
    } catch (error) {
      say(status, messageFor(error), "bad");
    }
  }

  const verifyStatus = statusArea();
  const verify = el("button", { type: "button", class: "secondary" }, "Verify the whole trail");
  verify.addEventListener("click", async () => {
    say(verifyStatus, "Verifying every entry and signed checkpoint…");
    try {
      const r = await session.api("POST", "/v1/admin/audit/verify");
      say(verifyStatus, r.intact
        ? `Intact: ${r.entriesChecked} entries and ${r.checkpointsChecked} signed checkpoints verified, up to entry ${r.lastSeq}.`
        : `NOT intact: the chain breaks at entry ${r.firstBadSeq} (${r.problem}). Open an incident.`, r.intact ? "ok" : "bad");
    } catch (error) {
      say(verifyStatus, messageFor(error), "bad");
    }
  });

  const format = el("select", { id: "export-format", name: "format" }, el("option", { value: "csv" }, "CSV"),
    el("option", { value: "jsonl" }, "JSON lines"));
  const exportStatus = statusArea();
  const exporter = el("button", { type: "button", class: "secondary" }, "Export the time range");
  exporter.addEventListener("click", async () => {
    if (!from.input.value || !to.input.value) {
      say(exportStatus, "Choose both From and Until above: an export covers a time range.", "bad");
      return;
    }
    say(exportStatus, "Exporting…");
    try {
      const query = new URLSearchParams(auditQuery({ from: from.input.value, to: to.input.value }));
      query.set("format", format.value);
      const blob = await session.download(`/v1/admin/audit/export?${query}`);
      const link = el("a", { href: URL.createObjectURL(blob), download: `wardline-audit.${format.value === "csv" ? "csv" : "jsonl"}` },
        `Download the export (${Math.max(1, Math.round(blob.size / 1024))} KiB)`);
      exportStatus.replaceChildren(link);
      exportStatus.className = "status ok";
      exportStatus.hidden = false;
      link.focus();
    } catch (error) {
      say(exportStatus, messageFor(error), "bad");
    }
  });

  show(main, el("h1", {}, "Audit trail"),
    el("p", {}, "Every access and change, signed and chained. Searching is itself recorded in the trail."),
    search, el("h2", {}, "Links sent to a patient"), byContact, status, results,
    el("h2", {}, "Integrity"), verify, verifyStatus,
    el("h2", {}, "Export"),
    el("div", { class: "inline" }, el("div", { class: "field" }, el("label", { for: "export-format" }, "Format"), format), exporter),
    exportStatus);
  if (seq || actor) await find();
}
