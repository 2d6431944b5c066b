// Users: every account with its status, roles, teams and training; from one, its devices or its audit entries; with the
// permission to manage accounts, disable or enable one; with the permission to manage roles or record training, change
// a user's roles or training date (changes: step-up, audited like the CLI's call; separation of duties is the server's).
import { el, say, show, statusArea } from "../../../app/src/ui.js";
import { messageFor } from "../../../app/src/screens/signIn.js";
import { table } from "../table.js";

export async function renderUsers(context) {
  const { session, main } = context;
  const status = statusArea();
  const results = el("div", { class: "results" });
  const can = (p) => session.me.permissions.includes(p);

  async function load(message) {
    say(status, "Loading accounts…");
    try {
      const [{ users }, { teams }] = await Promise.all([session.api("GET", "/v1/admin/users"), session.api("GET", "/v1/admin/teams")]);
      context.users.clear();
      users.forEach((u) => context.users.set(u.id, u));
      const teamsOf = new Map();
      for (const t of teams) for (const m of t.members) teamsOf.set(m.id, [...(teamsOf.get(m.id) ?? []), t.name]);
      const sorted = [...users].sort((a, b) => a.username.localeCompare(b.username));
      results.replaceChildren(table(`${users.length} accounts`, ["User", "Name", "Status", "Roles", "Teams", "Training until", "Actions"],
        sorted.map((u) => [u.username, u.displayName ?? "—", el("span", { "data-user": u.id }, u.status), u.roles.join(", ") || "none",
          (teamsOf.get(u.id) ?? []).sort().join(", ") || "none", u.trainingExpiresOn ?? "not recorded", actions(u)])));
      changeForms();
      say(status, message ?? `${users.length} accounts shown.`, message ? "ok" : "info");
    } catch (error) {
      say(status, messageFor(error), "bad");
    }
  }

  function actions(u) {
    const cell = el("div", { class: "actions" });
    if (can("device_manage")) cell.append(button(`Devices of ${u.username}`, "Devices", () => context.open("devices", { userId: u.id })));
    if (can("audit_read")) cell.append(button(`Audit entries of ${u.username}`, "Audit entries", () => context.open("audit", { actor: u.id })));
    if (can("user_manage") && u.id !== session.me.id) {
      const disable = u.status === "active";
      cell.append(button(`${disable ? "Disable" : "Enable"} ${u.username}`, disable ? "Disable" : "Enable", async () => {
        say(status, `${disable ? "Disabling" : "Enabling"} ${u.username}…`);
        try {
          await session.api("POST", `/v1/admin/users/${u.id}/${disable ? "disable" : "enable"}`);
          await load(`${u.username} is ${disable ? "disabled: their sessions end and they cannot sign in" : "enabled again"}.`);
        } catch (error) {
          say(status, messageFor(error), "bad");
        }
      }));
    }
    return cell;
  }

  // Roles and training: one user at a time. The server decides what may be granted (nobody grants themselves a role;
  // privileged roles need an approved elevation) and its refusal is shown as it says it.
  const ROLES = ["clinician", "nurse", "care_coordinator", "billing", "admin", "security_officer", "auditor", "records_custodian"];
  const whom = el("select", { id: "change-user", name: "userId" });
  const roleBoxes = ROLES.map((r) => el("input", { type: "checkbox", id: `role-${r}`, name: "roles", value: r }));
  const rolesForm = el("form", { novalidate: true, "aria-label": "Change roles" },
    el("fieldset", {}, el("legend", {}, "Roles"),
      ...ROLES.map((r, i) => el("div", { class: "check" }, roleBoxes[i], " ", el("label", { for: `role-${r}` }, r.replace("_", " "))))),
    el("button", { type: "submit" }, "Save roles"));
  const training = el("input", { type: "date", id: "training-until", name: "expiresOn" });
  const trainingForm = el("form", { class: "inline", novalidate: true, "aria-label": "Record training" },
    el("div", { class: "field" }, el("label", { for: "training-until" }, "HIPAA training valid until"), training),
    el("button", { type: "submit" }, "Record training"));
  const chosen = () => context.users.get(whom.value);
  function fill() {
    const u = chosen();
    roleBoxes.forEach((b) => { b.checked = !!u && u.roles.includes(b.value); });
    training.value = u?.trainingExpiresOn ?? "";
  }
  whom.addEventListener("change", fill);
  rolesForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const u = chosen();
    if (!u) return;
    const roles = roleBoxes.filter((b) => b.checked).map((b) => b.value);
    await changeUser(u, "roles", { roles }, `${u.username} now has the roles: ${roles.join(", ") || "none"}.`);
  });
  trainingForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const u = chosen();
    if (!u) return;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(training.value)) {
      say(status, "Enter the date the training certificate expires.", "bad");
      training.focus();
      return;
    }
    await changeUser(u, "training", { expiresOn: training.value }, `${u.username}'s HIPAA training is recorded until ${training.value}.`);
  });
  async function changeUser(u, what, body, done) {
    say(status, `Saving ${u.username}'s ${what}…`);
    try {
      await session.api("PUT", `/v1/admin/users/${u.id}/${what}`, body);
      await load(done);
    } catch (error) {
      say(status, messageFor(error), "bad");
    }
  }
  function changeForms() {
    const keep = whom.value;
    whom.replaceChildren(...[...context.users.values()].sort((a, b) => a.username.localeCompare(b.username))
      .map((u) => el("option", { value: u.id, selected: u.id === keep }, u.username)));
    fill();
  }
  const forms = [];
  if (can("role_manage") || can("training_record")) {
    forms.push(el("h2", {}, "Change roles or training"),
      el("div", { class: "field" }, el("label", { for: "change-user" }, "User"), whom));
    if (can("role_manage")) forms.push(rolesForm);
    if (can("training_record")) forms.push(trainingForm);
  }

  function button(label, text, onClick) {
    const b = el("button", { type: "button", class: "secondary", "aria-label": label }, text);
    b.addEventListener("click", onClick);
    return b;
  }

  show(main, el("h1", {}, "Users"),
    el("p", {}, "Every Wardline account, its roles, teams and training. Team members change under Teams. A privileged role "
      + "(admin, security officer, auditor, records custodian) is granted only to someone holding an elevation a second "
      + "administrator approved."),
    ...forms, status, results);
  await load();
}
