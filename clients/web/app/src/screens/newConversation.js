// "New conversation": find a colleague by exact user name through the directory, then start an end-to-end encrypted
// conversation with every device of theirs. Nothing is created until the person presses Start.
import { el, field } from "../ui.js";
import { TIMER_CHOICES } from "../messaging/disappearing.js";

/**
 * @param {{find: (name: string) => Promise<null | {urn: string, username: string, displayName: string}>}} directory
 * @param {(urns: string[], ttlSeconds: number) => Promise<string>} start starts the conversation (its messages
 *        disappearing ttlSeconds after they are sent, when above 0), resolves with its ID
 * @param {(id: string) => void} onStarted
 * @param {() => void} onCancel
 */
export function newConversationForm(directory, start, onStarted, onCancel) {
  const name = field("Colleague's user name", { name: "colleague", autocomplete: "off", autocapitalize: "none", spellcheck: "false", required: true },
    "Their exact user name, as on their badge or in the staff list, for example nurse.kim.");
  const timer = el("select", { id: "disappear-after", name: "disappear-after", "aria-describedby": "disappear-after-hint" },
    ...TIMER_CHOICES.map((c) => el("option", { value: String(c.seconds) }, c.label)));
  const timerField = el("div", { class: "field" }, el("label", { for: "disappear-after" }, "Messages disappear after"),
    el("p", { class: "hint", id: "disappear-after-hint" }, "Deleted from the server and from every member's devices that long "
      + "after they are sent. It cannot be changed later."), timer);
  const find = el("button", { type: "submit" }, "Find colleague");
  const status = el("p", { class: "status", role: "status", "aria-live": "polite", hidden: true });
  const found = el("div", { class: "found" });
  const cancel = el("button", { type: "button", class: "secondary" }, "Cancel");
  cancel.addEventListener("click", onCancel);
  const form = el("form", { class: "find-colleague", novalidate: true }, name.node, timerField, el("div", { class: "actions" }, find, cancel), status);

  const tell = (text, kind = "info") => {
    status.textContent = text;
    status.className = `status ${kind}`;
    status.hidden = !text;
    status.setAttribute("role", kind === "bad" ? "alert" : "status");
  };

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    found.replaceChildren();
    const typed = name.input.value.trim();
    if (!typed) {
      tell("Enter your colleague's user name.", "bad");
      name.input.focus();
      return;
    }
    find.disabled = true;
    tell("Looking up…");
    try {
      const colleague = await directory.find(typed);
      if (!colleague) {
        tell(`Nobody has the user name “${typed}”. Check the spelling: only an exact user name is found.`, "bad");
        name.input.focus();
        return;
      }
      tell("");
      const go = el("button", { type: "button" }, `Start conversation with ${colleague.displayName}`);
      found.replaceChildren(el("p", {}, `${colleague.displayName} (${colleague.username})`), go);
      go.addEventListener("click", async () => {
        go.disabled = true;
        tell(`Starting an encrypted conversation with ${colleague.displayName}…`);
        try {
          onStarted(await start([colleague.urn], Number(timer.value)));
        } catch (err) {
          tell(err.message, "bad");
          go.disabled = false;
        }
      });
      go.focus();
    } catch (err) {
      tell(err.message, "bad");
    } finally {
      find.disabled = false;
    }
  });

  return {
    node: el("div", { class: "new-conversation" }, el("h2", { id: "conversation-title" }, "New conversation"),
      el("p", { class: "hint" }, "Messages are encrypted on this device for your colleague's devices only."), form, found),
    focus: () => name.input.focus(),
  };
}
