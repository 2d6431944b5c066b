// Sign-in: password, then the authenticator code. With an enrolled device every step carries its DPoP proof and
// the session is bound to this browser's key; without one the session is only good for enrolling it.
import { ApiError, call } from "../api.js";
import { el, field, say, show, statusArea } from "../ui.js";

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
  const code = field("Authenticator code", { name: "code", inputmode: "numeric", autocomplete: "one-time-code", pattern: "[0-9]*", maxlength: "8", required: true },
    "The 6-digit code your authenticator app shows for Wardline now.");
  const status = statusArea();
  const form = el("form", { novalidate: true }, code.node, el("button", { type: "submit" }, "Sign in"), status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = code.input.value.replace(/\s/g, "");
    if (!/^[0-9]{6,8}$/.test(value)) {
      say(status, "Enter the 6-digit code from your authenticator app.", "bad");
      return;
    }
    say(status, "Checking…");
    try {
      onSignedIn(await call("POST", "/v1/auth/mfa", { pendingToken, code: value }, { device }));
    } catch (error) {
      if (error?.code === "device.wipe_pending") onWipePending();
      else say(status, messageFor(error), "bad");
    }
  });
  show(main, el("h1", {}, "Enter your authenticator code"), form);
}

export function messageFor(error) {
  if (error instanceof ApiError) {
    if (error.code === "auth.failed") return "The user name or password is wrong, or this account cannot sign in.";
    return error.message;
  }
  return "Something went wrong in this browser; reload the page and try again.";
}
