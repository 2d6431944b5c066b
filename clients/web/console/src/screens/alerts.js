// Alerts: open ones first (or all), acknowledge one (a change: step-up), and open the audit entry behind it.
import { el, say, show, statusArea } from "../../../app/src/ui.js";
import { messageFor } from "../../../app/src/screens/signIn.js";
import { when } from "../format.js";
import { nameOf } from "../shell.js";
import { table } from "../table.js";

export async function renderAlerts(context) {
  const { session, main } = context;
  const all = el("input", { type: "checkbox", id: "alerts-all" });
  const status = statusArea();
  const results = el("div", { class: "results" });
  all.addEventListener("change", () => load());

  async function load(message) {
    say(status, "Loading alerts…");
    try {
      const { alerts } = await session.api("GET", `/v1/admin/alerts${all.checked ? "" : "?open=true"}`);
      results.replaceChildren(alerts.length === 0 ? el("p", {}, all.checked ? "No alerts." : "No open alerts.")
        : table(all.checked ? "All alerts" : "Open alerts", ["Raised", "Rule", "Severity", "What happened", "User", "Status", "Actions"],
          alerts.map((a) => row(a))));
      say(status, message ?? `${alerts.length} alert${alerts.length === 1 ? "" : "s"} shown.`, message ? "ok" : "info");
    } catch (error) {
      say(status, messageFor(error), "bad");
    }
  }

  function row(a) {
    const actions = el("div", { class: "actions" });
    if (!a.acknowledgedAt) {
      const ack = el("button", { type: "button", "aria-label": `Acknowledge alert ${a.rule} raised ${when(a.raisedAt)}` }, "Acknowledge");
      ack.addEventListener("click", () => acknowledge(a));
      actions.append(ack);
    }
    if (a.auditEntrySeq) {
      const open = el("button", { type: "button", class: "secondary", "aria-label": `Audit entry ${a.auditEntrySeq} behind alert ${a.rule}` },
        `Audit entry ${a.auditEntrySeq}`);
      open.addEventListener("click", () => context.open("audit", { seq: a.auditEntrySeq }));
      actions.append(open);
    }
    const state = a.acknowledgedAt ? `Acknowledged ${when(a.acknowledgedAt)} by ${nameOf(context, a.acknowledgedBy)}` : "Open";
    return [when(a.raisedAt), a.rule, a.severity, `${a.summary ?? ""}${a.count > 1 ? ` (${a.count} times)` : ""}`,
      nameOf(context, a.actorUserId), el("span", { "data-alert": a.id }, state), actions];
  }

  async function acknowledge(a) {
    say(status, "Acknowledging…");
    try {
      await session.api("POST", `/v1/admin/alerts/${a.id}/ack`);
      await load(`Alert ${a.rule} acknowledged.`);
    } catch (error) {
      say(status, messageFor(error), "bad");
    }
  }

  show(main, el("h1", {}, "Alerts"),
    el("p", {}, "Security alerts raised from the audit trail. Acknowledge one once you have looked into it; the acknowledgement is itself audited."),
    el("div", { class: "check" }, all, el("label", { for: "alerts-all" }, "Include acknowledged alerts")),
    status, results);
  await load();
}
