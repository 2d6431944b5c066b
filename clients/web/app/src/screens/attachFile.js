// The "Attach file" control under the composer: a real file input with its label and a hint that says plainly what
// happens to a file (scanned by the server, not end-to-end encrypted), a Send button, and the answer in words.
import { el, say } from "../ui.js";

/**
 * @param {{disabled: boolean, onSend: (file: File, progress: (text: string) => void, reason: string) => Promise<string>}} options
 *   onSend resolves with what was done, or fails with an error whose message is for the person; when the policy
 *   wants a reason (code upload.justification_required), a reason field appears and the next send carries it
 */
export function attachFileForm({ disabled, onSend }) {
  const input = el("input", { type: "file", id: "attachment", "aria-describedby": "attachment-hint", disabled });
  const send = el("button", { type: "submit", class: "secondary", disabled }, "Send file");
  const status = el("p", { class: "status", role: "status", "aria-live": "polite", hidden: true });
  const reason = el("textarea", { id: "attachment-reason", rows: "2", maxlength: "110", "aria-describedby": "attachment-reason-hint" });
  const reasonField = el("div", { class: "field reason", hidden: true },
    el("label", { for: "attachment-reason" }, "Reason for sending it"),
    el("p", { class: "hint", id: "attachment-reason-hint" }, "Why this file must go to the conversation as it is. The "
      + "server records that you gave a reason; the words stay on this device."), reason);
  const form = el("form", { class: "attach" },
    el("label", { for: "attachment" }, "Attach file"),
    el("p", { class: "hint", id: "attachment-hint" }, "Checked by the server for malware and patient information before "
      + "it is shared. Unlike messages, files are not end-to-end encrypted: the server reads them to check them."),
    input, send, reasonField, status);
  const askForReason = (asked) => {
    reasonField.hidden = !asked;
    send.textContent = asked ? "Send file with this reason" : "Send file";
    if (!asked) reason.value = "";
  };
  input.addEventListener("change", () => askForReason(false));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const file = input.files?.[0];
    if (!file) {
      say(status, "Choose a file to attach first.", "bad");
      input.focus();
      return;
    }
    if (!reasonField.hidden && !reason.value.trim()) {
      say(status, "Write why this file must be sent, or choose another file.", "bad");
      reason.focus();
      return;
    }
    send.disabled = true;
    input.disabled = true;
    let focus = input;
    try {
      say(status, await onSend(file, (text) => say(status, text), reasonField.hidden ? "" : reason.value), "ok");
      input.value = "";
      askForReason(false);
    } catch (err) {
      say(status, err?.message ?? "The file was not sent; try again.", "bad");
      if (err?.code === "upload.justification_required") {
        askForReason(true);
        focus = reason;
      }
    } finally {
      send.disabled = false;
      input.disabled = false;
      focus.focus();
    }
  });
  return form;
}
