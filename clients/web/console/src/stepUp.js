// The step-up prompt: a modal dialog asking for a fresh authenticator code before a change goes through. Resolves
// true once the server accepted a code, false when the person cancels; a wrong code is said and can be retyped.
import { field, say, statusArea, el } from "../../app/src/ui.js";
import { messageFor } from "../../app/src/screens/signIn.js";

export function askForStepUp(confirm) {
  const dialog = document.getElementById("step-up");
  const opener = document.activeElement;
  const code = field("Authenticator code", { name: "step-up-code", inputmode: "numeric", autocomplete: "one-time-code",
    pattern: "[0-9]*", maxlength: "8", required: true }, "The 6-digit code your authenticator app shows now.");
  const status = statusArea();
  const cancel = el("button", { type: "button", class: "secondary" }, "Cancel");
  const form = el("form", { method: "dialog", novalidate: true }, code.node,
    el("div", { class: "actions" }, el("button", { type: "submit" }, "Confirm"), cancel), status);
  dialog.replaceChildren(el("h2", { id: "step-up-title" }, "Confirm it is you"),
    el("p", {}, "This change needs a fresh second factor."), form);
  return new Promise((resolve) => {
    const finish = (ok) => {
      dialog.close();
      opener?.focus?.();
      resolve(ok);
    };
    cancel.addEventListener("click", () => finish(false));
    dialog.oncancel = (event) => { event.preventDefault(); finish(false); }; // Escape: the same as Cancel
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const value = code.input.value.replace(/\s/g, "");
      if (!/^[0-9]{6,8}$/.test(value)) {
        say(status, "Enter the 6-digit code from your authenticator app.", "bad");
        return;
      }
      say(status, "Checking…");
      try {
        await confirm(value);
        finish(true);
      } catch (error) {
        say(status, error?.code === "auth.mfa_invalid" ? "That code is wrong or already used; wait for the next one." : messageFor(error), "bad");
      }
    });
    dialog.showModal();
    code.input.focus();
  });
}
