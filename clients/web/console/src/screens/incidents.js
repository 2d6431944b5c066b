// Incidents: the register (newest first) and one incident's record: its state, owner and timeline of every step.
// Changes to an incident (status, containment, notifications) are made with the CLI for now.
import { el, say, show, statusArea } from "../../../app/src/ui.js";
import { messageFor } from "../../../app/src/screens/signIn.js";
import { when } from "../format.js";
import { nameOf } from "../shell.js";
import { table } from "../table.js";

export async function renderIncidents(context) {
  const { session, main } = context;
  const status = statusArea();
  const results = el("div", { class: "results" });
  const detail = el("section", { class: "results", "aria-label": "Incident record" });

  async function load() {
    say(status, "Loading incidents…");
    try {
      const { incidents } = await session.api("GET", "/v1/admin/incidents");
      results.replaceChildren(incidents.length === 0 ? el("p", {}, "No incidents recorded.")
        : table("Incident register", ["Reference", "Category", "Severity", "Status", "Opened", "Owner", "Record"],
          incidents.map((i) => {
            const open = el("button", { type: "button", class: "secondary", "aria-label": `Open record of ${i.reference}` }, "Open record");
            open.addEventListener("click", () => record(i.id));
            return [i.reference, i.category, i.severity, i.status, when(i.openedAt), nameOf(context, i.ownerId), open];
          })));
      say(status, `${incidents.length} incident${incidents.length === 1 ? "" : "s"} shown.`);
    } catch (error) {
      say(status, messageFor(error), "bad");
    }
  }

  async function record(id) {
    say(status, "Opening the record…");
    try {
      const i = await session.api("GET", `/v1/admin/incidents/${id}`);
      const heading = el("h2", { tabindex: "-1" }, `Incident ${i.reference}`);
      detail.replaceChildren(heading,
        el("dl", {}, el("dt", {}, "Status"), el("dd", {}, i.status), el("dt", {}, "Severity"), el("dd", {}, i.severity),
          el("dt", {}, "Category"), el("dd", {}, i.category), el("dt", {}, "Discovered"), el("dd", {}, when(i.discoveredAt)),
          el("dt", {}, "Owner"), el("dd", {}, nameOf(context, i.ownerId))),
        table(`Timeline of ${i.reference}`, ["When", "Step", "By", "Object", "Reason"],
          i.timeline.map((t) => [when(t.at), t.action, nameOf(context, t.actorUserId),
            t.objectType ? `${t.objectType} ${t.objectId ?? ""}` : "—", t.reason ?? "—"]), { "data-timeline": i.id }));
      say(status, `Record of ${i.reference} shown below.`, "ok");
      heading.focus();
    } catch (error) {
      say(status, messageFor(error), "bad");
    }
  }

  show(main, el("h1", {}, "Incidents"),
    el("p", {}, "Security incidents and drills. Opening a record is itself audited."), status, results, detail);
  await load();
}
