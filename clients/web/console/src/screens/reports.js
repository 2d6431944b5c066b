// Reports: the HIPAA technical-safeguards evidence (each standard, how Wardline meets it, the settings in force and
// the tests that show it) and the accounting of disclosures to one patient contact (45 CFR 164.528). Both are
// audited by the server when produced; both can be downloaded as CSV.
import { el, field, say, show, statusArea } from "../../../app/src/ui.js";
import { messageFor } from "../../../app/src/screens/signIn.js";
import { when } from "../format.js";
import { table } from "../table.js";

export async function renderReports(context) {
  const { session, main } = context;
  const evidenceStatus = statusArea();
  const evidence = el("div", { class: "results" });
  const showEvidence = el("button", { type: "button" }, "Show the HIPAA evidence");
  showEvidence.addEventListener("click", async () => {
    say(evidenceStatus, "Gathering the evidence…");
    try {
      const r = await session.api("GET", "/v1/admin/reports/hipaa-evidence");
      evidence.replaceChildren(table(`${r.rule}, generated ${when(r.generatedAt)}`, ["Standard", "How Wardline meets it", "Settings", "Tests"],
        r.standards.map((s) => [`${s.citation} ${s.title}`, s.implementation,
          Object.entries(s.configuration).map(([k, v]) => `${k} = ${v}`).join("; "), s.tests.join(", ")]), { "data-report": "hipaa" }),
      downloadButton("Download the evidence as CSV", "/v1/admin/reports/hipaa-evidence?format=csv", "wardline-hipaa-evidence.csv", evidenceStatus));
      say(evidenceStatus, `${r.standards.length} standards covered.`, "ok");
    } catch (error) {
      say(evidenceStatus, messageFor(error), "bad");
    }
  });

  const recipient = field("Patient contact: e-mail address or phone number", { name: "recipient", maxlength: "320", autocomplete: "off", spellcheck: "false" },
    "Exactly as the link was sent to. The search is audited; the address itself is not written to the trail.");
  const disclosureStatus = statusArea();
  const disclosures = el("div", { class: "results" });
  const form = el("form", { novalidate: true, "aria-label": "Accounting of disclosures" }, recipient.node,
    el("button", { type: "submit" }, "Show disclosures"), disclosureStatus);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = recipient.input.value.trim();
    if (!value) {
      say(disclosureStatus, "Enter the address the links were sent to.", "bad");
      return;
    }
    say(disclosureStatus, "Searching…");
    try {
      const r = await session.api("POST", "/v1/admin/reports/disclosures", { recipient: value });
      disclosures.replaceChildren(r.entries.length === 0 ? el("p", {}, "No file was disclosed to this contact.")
        : table(`Disclosures (${r.standard}): ${r.links} link${r.links === 1 ? "" : "s"}`, ["When", "Event", "Sent by", "File", "Mode", "Outcome"],
          r.entries.map((e) => [when(e.at), e.event, e.sentBy ?? e.sentByUserId, e.fileId, e.mode ?? "—", e.outcome])));
      say(disclosureStatus, `${r.entries.length} entr${r.entries.length === 1 ? "y" : "ies"} found.`, "ok");
    } catch (error) {
      say(disclosureStatus, messageFor(error), "bad");
    }
  });

  function downloadButton(text, path, filename, status) {
    const b = el("button", { type: "button", class: "secondary" }, text);
    b.addEventListener("click", async () => {
      try {
        const blob = await session.download(path);
        const link = el("a", { href: URL.createObjectURL(blob), download: filename }, `Save ${filename}`);
        status.replaceChildren(link);
        status.className = "status ok";
        status.hidden = false;
        link.focus();
      } catch (error) {
        say(status, messageFor(error), "bad");
      }
    });
    return b;
  }

  show(main, el("h1", {}, "Reports"),
    el("h2", {}, "HIPAA Security Rule evidence"),
    el("p", {}, "For an auditor: each technical safeguard, how this installation meets it and the settings in force now."),
    showEvidence, evidenceStatus, evidence,
    el("h2", {}, "Accounting of disclosures"),
    el("p", {}, "Every file shared with a patient through a link, for a patient who asks who was sent what."),
    form, disclosures);
}
