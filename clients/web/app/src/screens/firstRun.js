// First-run screen: explains enrollment before anything is asked of the person.
import { el, show } from "../ui.js";

const STEPS = [
  "Sign in with your hospital account: your password, then the code from your authenticator app.",
  "This browser makes a key of its own. The key cannot be copied out of the browser, not even by Wardline.",
  "Wardline's certificate authority certifies that key as one of your devices. Your security officer sees it in your device list and can remove it.",
  "Messages are encrypted on this device and only your conversations' members can read them. If this device is lost, it can be wiped remotely.",
];

export function renderFirstRun(main, support, onStart) {
  const start = el("button", { type: "button", disabled: !support.ok }, "Sign in to enroll this browser");
  start.addEventListener("click", onStart);
  show(main,
    el("h1", {}, "Set up Wardline on this device"),
    el("p", {}, "Before you can read or send messages, this browser is enrolled as one of your devices. It takes about a minute."),
    el("h2", {}, "What happens"),
    el("ol", {}, ...STEPS.map((step) => el("li", {}, step))),
    el("h2", {}, "Before you start"),
    el("p", {}, "Use a device your organisation allows for patient information. On a shared ward computer, sign out when you leave: Wardline also signs you out after a period without activity."),
    support.ok
      ? el("p", { class: "status ok", role: "status" }, "This browser can be enrolled.")
      : el("p", { class: "status bad", role: "alert" }, support.reason),
    start,
  );
}
