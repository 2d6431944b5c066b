// Access reviews: generate the report of everyone's access (roles, teams, training, devices, elevations), read it,
// then sign it off as approved or as needing changes (a change: step-up; refused to whoever's own access changed).
import { el, say, show, statusArea } from "../../../app/src/ui.js";
import { messageFor } from "../../../app/src/screens/signIn.js";
import { when } from "../format.js";
import { table } from "../table.js";

export async function renderReviews(context) {
  const { session, main } = context;
  const status = statusArea();
  const report = el("div", { class: "results" });
  const generate = el("button", { type: "button" }, "Generate an access review");
  generate.addEventListener("click", async () => {
    say(status, "Generating the review…");
    try {
      shown(await session.api("POST", "/v1/admin/reports/access-review"));
    } catch (error) {
      say(status, messageFor(error), "bad");
    }
  });

  function shown(review) {
    const canSign = session.me.permissions.includes("access_review_sign_off");
    const rows = review.users.map((u) => [u.username, u.status, u.roles.join(", ") || "none", u.teams.join(", ") || "none",
      u.trainingExpiresOn ?? "not recorded", when(u.lastActivity),
      String(u.devices.filter((d) => !d.revokedAt).length), String(u.elevations.length + u.breakGlass.length)]);
    const signStatus = statusArea();
    const decision = (value, label) => el("div", { class: "check" },
      el("input", { type: "radio", name: "decision", id: `decision-${value}`, value, required: true }),
      el("label", { for: `decision-${value}` }, label));
    const form = el("form", { novalidate: true, "aria-label": "Sign off this review" },
      el("fieldset", {}, el("legend", {}, "Your decision"), decision("approved", "Approved: every access listed is needed"),
        decision("changes_required", "Changes required: some access must be removed or changed")),
      el("button", { type: "submit" }, "Sign off"), signStatus);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const chosen = form.querySelector("input[name=decision]:checked");
      if (!chosen) {
        say(signStatus, "Choose approved or changes required first.", "bad");
        return;
      }
      say(signStatus, "Signing off…");
      try {
        const signed = await session.api("POST", `/v1/admin/reports/access-review/${review.reviewId}/sign-off`, { decision: chosen.value });
        form.replaceChildren(el("p", { class: "status ok", role: "status", "data-signed": review.reviewId },
          `Signed off as ${signed.decision === "approved" ? "approved" : "changes required"} by ${session.me.username} ${when(signed.signedAt)}; ${signed.usersReviewed} accounts reviewed.`));
      } catch (error) {
        say(signStatus, messageFor(error), "bad");
      }
    });
    report.replaceChildren(
      el("h2", {}, "Review of everyone's access"),
      el("p", {}, `Report fingerprint (SHA-256): `, el("code", { class: "hash" }, review.reportSha256)),
      table(`Access of ${review.users.length} accounts`, ["User", "Status", "Roles", "Teams", "Training until", "Last activity",
        "Active devices", "Elevations and break-glass"], rows),
      el("h2", {}, "Sign-off"),
      canSign ? form : el("p", {}, "Your roles let you read the review, not sign it off."));
    say(status, `Review generated: ${review.users.length} accounts.`, "ok");
  }

  show(main, el("h1", {}, "Access reviews"),
    el("p", {}, "A periodic review of who can do what. Generate the report, check each account, then sign it off; the signature is audited."),
    generate, status, report);
}
