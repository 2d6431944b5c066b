// The security officer's console: entry point. It is a browser device like the clinicians' app (same key, same
// enrollment, same sign-in, imported from ../app/src); once signed in, it shows the sections the account's
// permissions open, or a clear refusal when they open none.
import "reflect-metadata"; // @peculiar/x509 (enrollment's CSR) uses tsyringe, which needs it before anything else loads
import { call } from "../../app/src/api.js";
import { SessionTokens } from "../../app/src/auth/sessionTokens.js";
import { checkDeviceSupport } from "../../app/src/device/support.js";
import { loadDevice } from "../../app/src/device/deviceStore.js";
import { renderEnroll } from "../../app/src/screens/enroll.js";
import { renderSignIn } from "../../app/src/screens/signIn.js";
import { el, show } from "../../app/src/ui.js";
import { AdminSession } from "./session.js";
import { consoleSections } from "./sections.js";
import { renderConsole } from "./shell.js";

const main = document.getElementById("main");

function signIn(device, intro = "Use your hospital account: your password, then the code from your authenticator app.") {
  renderSignIn(main, {
    device,
    heading: "Sign in to the security console",
    intro,
    onSignedIn: async (answer) => {
      const tokens = new SessionTokens(answer, { device });
      const me = await tokens.with((token) => call("GET", "/v1/me", undefined, { device, token }));
      const session = new AdminSession({ device, tokens, me,
        onEnded: (why) => signIn(device, why) });
      if (consoleSections(me.permissions).length === 0) {
        await session.signOut();
        refuse(me.username);
      } else {
        renderConsole(main, session);
      }
    },
  });
}

function refuse(username) {
  show(main,
    el("h1", {}, "This account cannot use the security console"),
    el("p", { class: "status bad", role: "alert" },
      `${username} has no administrator, security officer or auditor role, so there is nothing here it may see. You have been signed out.`),
    el("p", {}, `This browser is enrolled as ${username}'s device. Clinicians use the Wardline app instead; if you should have access, ask your security officer to grant you the role.`),
    el("p", {}, el("a", { href: "/app/" }, "Open the Wardline app")));
}

function enrollFirst(support) {
  const start = el("button", { type: "button", disabled: !support.ok }, "Sign in to enroll this browser");
  start.addEventListener("click", () => renderSignIn(main, {
    heading: "Sign in to enroll this browser",
    intro: "This first sign-in is only used to enroll the browser as one of your devices.",
    onSignedIn: (answer) => renderEnroll(main, {
      accessToken: answer.accessToken,
      onEnrolled: (device) => signIn(device, `This browser is now your device “${device.name}”. Sign in once more: every request is now signed with its key.`),
    }),
  }));
  show(main,
    el("h1", {}, "Enroll this browser before using the console"),
    el("p", {}, "The console works only on an enrolled device: every request it makes is signed with a key that never leaves this browser, and your device list shows it."),
    support.ok
      ? el("p", { class: "status ok", role: "status" }, "This browser can be enrolled.")
      : el("p", { class: "status bad", role: "alert" }, support.reason),
    start);
}

const support = await checkDeviceSupport(globalThis);
let device = null;
try {
  device = support.ok ? await loadDevice() : null;
} catch {
  device = null;
}
if (device) signIn(device);
else enrollFirst(support);
