// The clinicians' app: entry point. Without a device, the first-run screen, sign-in and enrollment; with one,
import "reflect-metadata"; // @peculiar/x509 (the CSR) uses tsyringe, which needs it before anything else loads
// sign-in bound to this browser's key.
import { call } from "./api.js";
import { SessionTokens } from "./auth/sessionTokens.js";
import { checkDeviceSupport } from "./device/support.js";
import { forgetDevice, loadDevice } from "./device/deviceStore.js";
import { destroyIndexedDbStore } from "./mls/stateVault.js";
import { renderEnroll } from "./screens/enroll.js";
import { renderFirstRun } from "./screens/firstRun.js";
import { renderHome } from "./screens/home.js";
import { renderSignIn } from "./screens/signIn.js";
import { renderWiped, renderWipeBlocked } from "./screens/wiped.js";
import { wipeIfCommanded } from "./device/wipe.js";

const main = document.getElementById("main");

function signInOnDevice(device, intro = "Sign in to continue on this device.") {
  renderSignIn(main, {
    device,
    heading: "Sign in to Wardline",
    intro,
    onWipePending: () => wipe(device),
    onSignedIn: async (signedIn) => {
      const session = { ...signedIn, tokens: new SessionTokens(signedIn, { device }) };
      const me = await session.tokens.with((token) => call("GET", "/v1/me", undefined, { device, token }));
      renderHome(main, { device, session, me, onSignedOut: () => signInOnDevice(device, "You are signed out."),
        onEnrollAgain: () => enrollAgain(support) });
    },
  });
}

/** Carries out a wipe the server holds for this device; resolves true when there was one. */
async function wipe(device) {
  let done;
  try {
    done = await wipeIfCommanded(device);
  } catch {
    renderWipeBlocked(main, () => wipe(device));
    return true;
  }
  if (!done) return false;
  renderWiped(main, { confirmed: done.confirmed, onSetUpAgain: () => firstRun(support) });
  return true;
}

/**
 * Forgets this browser's device (its key and its messaging state, which belong to that device only) and starts
 * enrollment again: for a browser enrolled before the CA copy was kept, whose messaging cannot start.
 */
async function enrollAgain(support) {
  await destroyIndexedDbStore().catch(() => undefined);
  await forgetDevice();
  firstRun(support);
}

function firstRun(support) {
  renderFirstRun(main, support, () => renderSignIn(main, {
    heading: "Sign in to enroll this browser",
    intro: "Use your hospital account. This first sign-in is only used to enroll the browser.",
    onSignedIn: (session) => renderEnroll(main, {
      accessToken: session.accessToken,
      onEnrolled: (device) => signInOnDevice(device, `This browser is now your device “${device.name}”. Sign in once more: from now on every request is signed with its key.`),
    }),
  }));
}

/** This browser's enrolled device, null when there is none; a refusal when site storage fails or does not answer. */
function storedDevice() {
  const silent = new Promise((_, reject) => setTimeout(() => reject(new Error("storage timeout")), 10000));
  return Promise.race([loadDevice(), silent]);
}

// Installable app: the service worker keeps the app's own files for when the network is gone (static/sw.js).
navigator.serviceWorker?.register("/app/sw.js", { scope: "/app/" }).catch(() => undefined);

const support = await checkDeviceSupport(globalThis);
if (!support.ok) {
  firstRun(support);
} else {
  try {
    const device = await storedDevice();
    if (!device) firstRun(support);
    else if (!(await wipe(device))) signInOnDevice(device);
  } catch {
    firstRun({ ok: false, reason: "This browser's site storage does not answer, so Wardline cannot read or keep this device's key. Close other Wardline tabs, check that site data is allowed, then reload." });
  }
}
