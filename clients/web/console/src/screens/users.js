// Users: every account with its status, roles, teams and training; from one, its devices or its audit entries; with the
// permission to manage accounts, disable or enable one (a change: step-up, audited like the CLI's call).
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

  function button(label, text, onClick) {
    const b = el("button", { type: "button", class: "secondary", "aria-label": label }, text);
    b.addEventListener("click", onClick);
    return b;
  }

  show(main, el("h1", {}, "Users"),
    el("p", {}, "Every Wardline account, its roles, teams and training. Team members change under Teams; roles with ",
      el("code", {}, "wardline admin roles"), "."),
    status, results);
  await load();
}
