// "Passkeys" on the device card: add a passkey of this browser to the account, so that signing in here needs no
// authenticator code. The server asks for a fresh code first (step-up); it is asked for here, in the card.
import { call } from "../api.js";
import { el, field, say, statusArea } from "../ui.js";
import { addPasskey, passkeyProblem, passkeysSupported } from "../auth/passkeys.js";

/** @param {(work: (token: string) => Promise<object>) => Promise<object>} withToken runs a call with a current token */
export function passkeyCard(device, withToken) {
  const area = el("div", { class: "passkeys" }, el("h3", {}, "Passkeys"));
  if (!passkeysSupported()) {
    area.append(el("p", { class: "hint" }, "This browser cannot use passkeys here; sign in with your authenticator code."));
    return area;
  }
  const status = statusArea();
  const add = el("button", { type: "button", class: "secondary" }, "Add a passkey");
  const post = (path, body) => withToken((token) => call("POST", path, body, { device, token }));

  /** Asks for an authenticator code in the card; resolves true once the server confirmed it. */
  const stepUp = () => new Promise((resolve) => {
    const code = field("Authenticator code", { name: "step-up-code", inputmode: "numeric", autocomplete: "one-time-code", maxlength: "8" },
      "Adding a passkey needs a fresh code from your authenticator app.");
    const confirm = el("button", { type: "submit" }, "Confirm");
    const cancel = el("button", { type: "button", class: "secondary" }, "Cancel");
    const form = el("form", { class: "step-up", novalidate: true }, code.node, el("div", { class: "actions" }, confirm, cancel));
    const done = (ok) => {
      form.remove();
      resolve(ok);
    };
    cancel.addEventListener("click", () => done(false));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        await post("/v1/auth/step-up", { code: code.input.value.replace(/\s/g, "") });
        done(true);
      } catch (err) {
        say(status, err.message, "bad");
        code.input.value = "";
        code.input.focus();
      }
    });
    area.insertBefore(form, status);
    code.input.focus();
  });

  add.addEventListener("click", async () => {
    add.disabled = true;
    say(status, "");
    try {
      const id = await addPasskey(post, stepUp);
      say(status, id ? "Passkey added. Next time you sign in here, choose “Use a passkey instead” after your password." : "", "ok");
    } catch (err) {
      say(status, err?.code === "auth.step_up_required" ? "Not added: adding a passkey needs your authenticator code."
        : err?.code ? err.message : passkeyProblem(err), "bad");
    } finally {
      add.disabled = false;
    }
  });
  area.append(el("p", { class: "hint" }, "A passkey lets you confirm it is you with this device's screen lock or a security "
    + "key instead of typing a code."), add, status);
  return area;
}
