// The console's frame once signed in: who is signed in, the sections this account may use (a navigation landmark,
// the current one marked), sign-out, and a directory of user names so screens show people, not IDs.
import { el } from "../../app/src/ui.js";
import { consoleSections } from "./sections.js";
import { renderAlerts } from "./screens/alerts.js";
import { renderAudit } from "./screens/audit.js";
import { renderDevices } from "./screens/devices.js";
import { renderReviews } from "./screens/reviews.js";
import { renderTeams } from "./screens/teams.js";
import { renderIncidents } from "./screens/incidents.js";
import { renderRecords } from "./screens/records.js";
import { renderReports } from "./screens/reports.js";
import { renderUsers } from "./screens/users.js";

const SCREENS = { users: renderUsers, teams: renderTeams, devices: renderDevices, alerts: renderAlerts, audit: renderAudit, reviews: renderReviews,
  reports: renderReports, records: renderRecords, incidents: renderIncidents };

export function renderConsole(main, session) {
  const nav = document.getElementById("nav");
  const who = document.getElementById("who");
  const sections = consoleSections(session.me.permissions);
  const buttons = new Map();
  const context = { session, main, users: new Map(), open };
  const signOut = el("button", { type: "button", class: "secondary" }, "Sign out");
  signOut.addEventListener("click", async () => {
    await session.signOut();
    nav.hidden = true;
    who.textContent = "";
    session.onEnded("You are signed out.");
  });
  const list = el("ul", {});
  for (const s of sections) {
    const b = el("button", { type: "button", "data-section": s.id }, s.title);
    b.addEventListener("click", () => open(s.id));
    buttons.set(s.id, b);
    list.append(el("li", {}, b));
  }
  nav.replaceChildren(list, signOut);
  nav.hidden = false;
  who.textContent = `Signed in as ${session.me.username}`;

  async function open(id, options = {}) {
    for (const [name, b] of buttons) b.setAttribute("aria-current", name === id ? "page" : "false");
    await SCREENS[id](context, options);
  }

  const ready = session.me.permissions.includes("user_read")
    ? session.api("GET", "/v1/admin/users").then(({ users }) => users.forEach((u) => context.users.set(u.id, u))).catch(() => undefined)
    : Promise.resolve();
  ready.then(() => open(sections[0].id));
}

/** A user's name for display: their user name when the directory has it, else the short form of the ID. */
export function nameOf(context, userId) {
  if (!userId) return "—";
  return context.users.get(userId)?.username ?? `user ${userId.slice(0, 8)}`;
}
