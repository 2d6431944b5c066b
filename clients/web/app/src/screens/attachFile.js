// The "Attach file" control under the composer: a real file input with its label and a hint that says plainly what
// happens to a file (scanned by the server, not end-to-end encrypted), a Send button, and the answer in words.
import { el, say } from "../ui.js";

/**
 * @param {{disabled: boolean, onSend: (file: File, progress: (text: string) => void) => Promise<string>}} options
 *   onSend resolves with what was done, or fails with an error whose message is for the person
 */
export function attachFileForm({ disabled, onSend }) {
  const input = el("input", { type: "file", id: "attachment", "aria-describedby": "attachment-hint", disabled });
  const send = el("button", { type: "submit", class: "secondary", disabled }, "Send file");
  const status = el("p", { class: "status", role: "status", "aria-live": "polite", hidden: true });
  const form = el("form", { class: "attach" },
    el("label", { for: "attachment" }, "Attach file"),
    el("p", { class: "hint", id: "attachment-hint" }, "Checked by the server for malware and patient information before "
      + "it is shared. Unlike messages, files are not end-to-end encrypted: the server reads them to check them."),
    input, send, status);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const file = input.files?.[0];
    if (!file) {
      say(status, "Choose a file to attach first.", "bad");
      input.focus();
      return;
    }
    send.disabled = true;
    input.disabled = true;
    try {
      say(status, await onSend(file, (text) => say(status, text)), "ok");
      input.value = "";
    } catch (err) {
      say(status, err?.message ?? "The file was not sent; try again.", "bad");
    } finally {
      send.disabled = false;
      input.disabled = false;
      input.focus();
    }
  });
  return form;
}
