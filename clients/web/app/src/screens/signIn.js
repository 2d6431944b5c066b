// Sign-in: password, then the authenticator code, a recovery code or a passkey. With an enrolled device every step carries its DPoP proof and
// the session is bound to this browser's key; without one the session is only good for enrolling it.
import { ApiError, call } from "../api.js";
import { el, field, say, show, statusArea } from "../ui.js";
import { passkeyProblem, passkeysSupported, signInWithPasskey } from "../auth/passkeys.js";

export function renderSignIn(main, { device, heading, intro, onSignedIn, onWipePending = () => {} }) {
  const username = field("User name", { name: "username", autocomplete: "username", required: true, autocapitalize: "none", spellcheck: "false" });
  const password = field("Password", { name: "password", type: "password", autocomplete: "current-password", required: true });
  const status = statusArea();
  const form = el("form", { novalidate: true }, username.node, password.node, el("button", { type: "submit" }, "Continue"), status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!username.input.value.trim() || !password.input.value) {
      say(status, "Enter your user name and password.", "bad");
      return;
    }
    say(status, "Checking…");
    try {
      const answer = await call("POST", "/v1/auth/login", { username: username.input.value.trim(), password: password.input.value }, { device });
      password.input.value = "";
      if (answer.status === "mfa_required") renderCode(main, { device, pendingToken: answer.pendingToken, onSignedIn, onWipePending });
      else if (answer.status === "mfa_enrollment_required") say(status, "Your account needs an authenticator app first. Ask your administrator to help you set it up, then sign in again.", "bad");
      else onSignedIn(answer);
    } catch (error) {
      if (error?.code === "device.wipe_pending") onWipePending();
      else say(status, messageFor(error), "bad");
    }
  });
  show(main, el("h1", {}, heading), el("p", {}, intro), form);
}

function renderCode(main, { device, pendingToken, onSignedIn, onWipePending }) {
  let recovery = false;
  const code = field("Authenticator code", { name: "code", inputmode: "numeric", autocomplete: "one-time-code", pattern: "[0-9]*", maxlength: "8", required: true },
    "The 6-digit code your authenticator app shows for Wardline now.");
  const status = statusArea();
  const useRecovery = el("button", { type: "button", class: "secondary" }, "Use a recovery code instead");
  const form = el("form", { novalidate: true }, code.node, el("button", { type: "submit" }, "Sign in"), status);
  const label = code.node.querySelector("label");
  const hint = code.node.querySelector(".hint");
  useRecovery.addEventListener("click", () => {
    recovery = !recovery;
    label.textContent = recovery ? "Recovery code" : "Authenticator code";
    hint.textContent = recovery ? "One of the recovery codes you saved when your account was set up; each works once."
      : "The 6-digit code your authenticator app shows for Wardline now.";
    code.input.setAttribute("inputmode", recovery ? "text" : "numeric");
    code.input.setAttribute("maxlength", recovery ? "32" : "8");
    if (recovery) code.input.removeAttribute("pattern");
    else code.input.setAttribute("pattern", "[0-9]*");
    useRecovery.textContent = recovery ? "Use my authenticator app instead" : "Use a recovery code instead";
    code.input.value = "";
    code.input.focus();
  });
  const refused = (error) => {
    if (error?.code === "device.wipe_pending") onWipePending();
    else say(status, messageFor(error), "bad");
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = code.input.value.replace(/\s/g, "");
    if (!recovery && !/^[0-9]{6,8}$/.test(value)) {
      say(status, "Enter the 6-digit code from your authenticator app.", "bad");
      return;
    }
    if (recovery && !value) {
      say(status, "Enter one of your recovery codes.", "bad");
      return;
    }
    say(status, "Checking…");
    try {
      onSignedIn(await call("POST", "/v1/auth/mfa", recovery ? { pendingToken, recoveryCode: value } : { pendingToken, code: value }, { device }));
    } catch (error) {
      refused(error);
    }
  });
  const other = [useRecovery];
  if (passkeysSupported()) {
    const passkey = el("button", { type: "button", class: "secondary" }, "Use a passkey instead");
    passkey.addEventListener("click", async () => {
      passkey.disabled = true;
      say(status, "Waiting for your passkey…");
      try {
        onSignedIn(await signInWithPasskey(device, pendingToken));
      } catch (error) {
        if (error instanceof ApiError) refused(error);
        else say(status, passkeyProblem(error), "bad");
      } finally {
        passkey.disabled = false;
      }
    });
    other.unshift(passkey);
  }
  show(main, el("h1", {}, "Enter your authenticator code"),
    el("p", {}, `Password accepted. Now confirm it is you${passkeysSupported() ? ", with your authenticator app or a passkey" : ""}.`),
    form, el("div", { class: "actions other-factors" }, ...other));
}

export function messageFor(error) {
  if (error instanceof ApiError) {
    if (error.code === "auth.failed") return "The user name or password is wrong, or this account cannot sign in.";
    return error.message;
  }
  return "Something went wrong in this browser; reload the page and try again.";
}
