// Devices: every enrolled device, or one person's; revoke one, or wipe it and follow the wipe until the device
// itself confirms it (the confirmation time the API records).
import { el, say, show, statusArea } from "../../../app/src/ui.js";
import { messageFor } from "../../../app/src/screens/signIn.js";
import { deviceState, when } from "../format.js";
import { nameOf } from "../shell.js";
import { table } from "../table.js";

const POLL_MS = 3000;
const POLL_FOR_MS = 120000;

export async function renderDevices(context, { userId } = {}) {
  const { session, main } = context;
  const who = el("select", { id: "devices-user", name: "user" }, el("option", { value: "" }, "Everyone"),
    ...[...context.users.values()].sort((a, b) => a.username.localeCompare(b.username))
      .map((u) => el("option", { value: u.id, selected: u.id === userId }, u.username)));
  const status = statusArea();
  const results = el("div", { class: "results" });
  const form = el("form", { class: "inline", novalidate: true },
    el("div", { class: "field" }, el("label", { for: "devices-user" }, "Whose devices"), who),
    el("button", { type: "submit" }, "Show devices"));
  let poll = null;
  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });

  async function load(message) {
    say(status, "Loading devices…");
    try {
      const query = who.value ? `?userId=${encodeURIComponent(who.value)}` : "";
      const { devices } = await session.api("GET", `/v1/admin/devices${query}`);
      results.replaceChildren(devices.length === 0 ? el("p", {}, "No devices enrolled.")
        : table(who.value ? `Devices of ${nameOf(context, who.value)}` : "All devices",
          ["Device", "User", "Platform", "Enrolled", "Last seen", "State", "Actions"],
          devices.map((d) => row(d))));
      say(status, message ?? `${devices.length} device${devices.length === 1 ? "" : "s"} shown.`, message ? "ok" : "info");
    } catch (error) {
      say(status, messageFor(error), "bad");
    }
  }

  function row(d) {
    const state = deviceState(d);
    const actions = el("div", { class: "actions" });
    if (state.code === "active") {
      actions.append(action(`Revoke ${d.name}`, "Revoke", () => confirmIn(actions, d,
        `Revoke ${d.name}? It can no longer sign in or connect; its messages stay on it.`, "Yes, revoke", () => revoke(d))));
      actions.append(action(`Wipe ${d.name}`, "Wipe", () => confirmIn(actions, d,
        `Wipe ${d.name}? At its next connection it erases Wardline's keys and messages and confirms; it is revoked.`, "Yes, wipe", () => wipe(d))));
    } else if (state.code === "wipe-pending") {
      actions.append(action(`Check wipe of ${d.name}`, "Check wipe", () => checkWipe(d)));
    }
    return [el("span", {}, d.name, el("br"), el("span", { class: "id" }, `ID ${d.id.slice(0, 8)}`)), d.username ?? nameOf(context, d.userId), d.platform ?? "—", when(d.enrolledAt), when(d.lastSeenAt),
      el("span", {}, el("span", { class: `state ${state.code}`, "data-device": d.id, "data-state": state.code }, state.text),
        ...unreadNote(d)), actions];
  }

  /** Messages the device acknowledged without being able to read them (kept undecrypted on it). */
  function unreadNote(d) {
    const n = d.unreadDeliveries ?? 0;
    return n === 0 ? [] : [el("br"), el("span", { class: "unread" }, `${n} message${n === 1 ? "" : "s"} it could not read`)];
  }

  function action(label, text, onClick) {
    const b = el("button", { type: "button", class: "secondary", "aria-label": label }, text);
    b.addEventListener("click", onClick);
    return b;
  }

  function confirmIn(cell, d, question, yesText, onYes) {
    const yes = el("button", { type: "button", class: "danger" }, yesText);
    const no = el("button", { type: "button", class: "secondary" }, "Keep it");
    const previous = [...cell.childNodes];
    yes.addEventListener("click", onYes);
    no.addEventListener("click", () => { cell.replaceChildren(...previous); previous[0]?.focus(); });
    cell.replaceChildren(el("p", { class: "confirm" }, question), yes, no);
    yes.focus();
  }

  async function revoke(d) {
    say(status, `Revoking ${d.name}…`);
    try {
      await session.api("POST", `/v1/admin/devices/${d.id}/revoke`);
      await load(`${d.name} is revoked.`);
    } catch (error) {
      say(status, messageFor(error), "bad");
    }
  }

  async function wipe(d) {
    say(status, `Requesting a wipe of ${d.name}…`);
    try {
      await session.api("POST", `/v1/admin/devices/${d.id}/wipe`);
      await load(`Wipe of ${d.name} requested. It is confirmed here when the device next connects.`);
      follow(d);
    } catch (error) {
      say(status, messageFor(error), "bad");
    }
  }

  /** Asks for the wipe's status until the device confirms it, while this screen is shown. */
  function follow(d) {
    clearInterval(poll);
    const until = Date.now() + POLL_FOR_MS;
    poll = setInterval(async () => {
      if (!results.isConnected || Date.now() > until) { clearInterval(poll); return; }
      const w = await session.api("GET", `/v1/admin/devices/${d.id}/wipe`).catch(() => null);
      if (w?.status === "confirmed") {
        clearInterval(poll);
        await load(`Wipe of ${d.name} confirmed by the device ${when(w.confirmedAt)}.`);
      }
    }, POLL_MS);
  }

  async function checkWipe(d) {
    try {
      const w = await session.api("GET", `/v1/admin/devices/${d.id}/wipe`);
      if (w.status === "confirmed") await load(`Wipe of ${d.name} confirmed by the device ${when(w.confirmedAt)}.`);
      else { say(status, `The wipe of ${d.name} was requested ${when(w.requestedAt)}; the device has not confirmed it yet.`); follow(d); }
    } catch (error) {
      say(status, messageFor(error), "bad");
    }
  }

  show(main, el("h1", {}, "Devices"),
    el("p", {}, "Every device enrolled for Wardline. Revoke one that should stop working; wipe one that is lost or leaves the organisation."),
    form, status, results);
  await load();
}
