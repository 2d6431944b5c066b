// Signed in on an enrolled browser device: who, on which device, and signing out.
import { call } from "../api.js";
import { el, show } from "../ui.js";
import { connectMessaging } from "../messaging/connection.js";

export function renderHome(main, { device, session, me, onSignedOut }) {
  const signOut = el("button", { type: "button" }, "Sign out");
  const messaging = el("p", { class: "status", role: "status", "aria-live": "polite" }, "Connecting to messaging…");
  const connection = connectMessaging(device, session.accessToken, (state) => {
    messaging.textContent = state.text;
    messaging.className = state.online ? "status ok" : "status error";
  });
  signOut.addEventListener("click", async () => {
    (await connection).close();
    await call("POST", "/v1/auth/logout", undefined, { device, token: session.accessToken }).catch(() => undefined);
    onSignedOut();
  });
  show(main,
    el("h1", {}, `Signed in as ${me.username}`),
    el("p", { class: "status ok", role: "status" }, `This browser is your device “${device.name}”. Every request it sends is signed with its own key.`),
    el("dl", {},
      el("dt", {}, "Device ID"), el("dd", {}, device.deviceId),
      el("dt", {}, "Certificate valid until"), el("dd", {}, new Date(device.notAfter).toLocaleString())),
    messaging,
    signOut);
}
