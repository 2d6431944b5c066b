// Care teams: each team and its members; with the permission to manage teams, add a member or remove one (a
// change: step-up, audited by the server like `wardline admin teams add|remove`).
import { el, say, show, statusArea } from "../../../app/src/ui.js";
import { messageFor } from "../../../app/src/screens/signIn.js";
import { table } from "../table.js";

export async function renderTeams(context, { teamId } = {}) {
  const { session, main } = context;
  const canManage = session.me.permissions.includes("team_manage");
  const status = statusArea();
  const results = el("div", { class: "results" });
  const team = el("select", { id: "team-choice", name: "teamId" });
  const member = el("select", { id: "team-member", name: "userId" },
    ...[...context.users.values()].sort((a, b) => a.username.localeCompare(b.username))
      .map((u) => el("option", { value: u.id }, u.username)));
  const add = el("form", { class: "inline", novalidate: true, "aria-label": "Add a team member" },
    el("div", { class: "field" }, el("label", { for: "team-choice" }, "Team"), team),
    el("div", { class: "field" }, el("label", { for: "team-member" }, "User"), member),
    el("button", { type: "submit" }, "Add to team"));
  add.addEventListener("submit", async (event) => {
    event.preventDefault();
    const teamName = team.selectedOptions[0]?.textContent;
    const userName = member.selectedOptions[0]?.textContent;
    if (!team.value || !member.value) {
      say(status, "Choose a team and a user.", "bad");
      return;
    }
    await change("PUT", team.value, member.value, `${userName} is now a member of ${teamName}.`, `Adding ${userName}…`);
  });

  async function change(method, tId, uId, done, doing) {
    say(status, doing);
    try {
      await session.api(method, `/v1/admin/teams/${tId}/members/${uId}`);
      await load(done);
    } catch (error) {
      say(status, messageFor(error), "bad");
    }
  }

  async function load(message) {
    try {
      const { teams } = await session.api("GET", "/v1/admin/teams");
      const sorted = [...teams].sort((a, b) => a.name.localeCompare(b.name));
      const chosen = team.value || teamId;
      team.replaceChildren(...sorted.map((t) => el("option", { value: t.id, selected: t.id === chosen }, t.name)));
      results.replaceChildren(sorted.length === 0 ? el("p", {}, "No care team exists yet; create one with wardline admin teams create.")
        : table(`${sorted.length} care team${sorted.length === 1 ? "" : "s"}`, ["Team", "Members"], sorted.map((t) => [t.name, members(t)]), { "data-results": "teams" }));
      if (message) say(status, message, "ok");
    } catch (error) {
      say(status, messageFor(error), "bad");
    }
  }

  function members(t) {
    if (t.members.length === 0) return "No members";
    const list = el("ul", { class: "members" });
    for (const m of [...t.members].sort((a, b) => a.username.localeCompare(b.username))) {
      const item = el("li", { "data-member": `${t.id}:${m.id}` }, m.username);
      if (canManage) {
        const remove = el("button", { type: "button", class: "secondary", "aria-label": `Remove ${m.username} from ${t.name}` }, "Remove");
        remove.addEventListener("click", () => change("DELETE", t.id, m.id, `${m.username} is no longer a member of ${t.name}.`,
          `Removing ${m.username}…`));
        item.append(" ", remove);
      }
      list.append(item);
    }
    return list;
  }

  show(main, el("h1", {}, "Care teams"),
    el("p", {}, "Who works together: a team's members see its conversations and its retention applies to them. New teams are created with ",
      el("code", {}, "wardline admin teams create"), "."),
    ...(canManage ? [el("h2", {}, "Add a member"), add] : []), status, results);
  await load();
}
