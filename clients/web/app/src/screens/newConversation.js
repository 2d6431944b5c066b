// Finding a colleague by exact user name through the directory, then starting an end-to-end encrypted conversation
// with every device of theirs, or adding them to the open one. Nothing is created or changed until the person presses
// the button that names the colleague.
import { el, field } from "../ui.js";
import { TIMER_CHOICES } from "../messaging/disappearing.js";

/**
 * "New conversation".
 * @param {{find: (name: string) => Promise<null | {urn: string, username: string, displayName: string}>}} directory
 * @param {(urns: string[], ttlSeconds: number) => Promise<string>} start starts the conversation (its messages
 *        disappearing ttlSeconds after they are sent, when above 0), resolves with its ID
 * @param {(id: string) => void} onStarted
 * @param {() => void} onCancel
 */
export function newConversationForm(directory, start, onStarted, onCancel) {
  const timer = el("select", { id: "disappear-after", name: "disappear-after", "aria-describedby": "disappear-after-hint" },
    ...TIMER_CHOICES.map((c) => el("option", { value: String(c.seconds) }, c.label)));
  const timerField = el("div", { class: "field" }, el("label", { for: "disappear-after" }, "Messages disappear after"),
    el("p", { class: "hint", id: "disappear-after-hint" }, "Deleted from the server and from every member's devices that long "
      + "after they are sent. It cannot be changed later."), timer);
  return colleagueFinder(directory, {
    className: "new-conversation",
    heading: "New conversation",
    intro: "Messages are encrypted on this device for your colleague's devices only.",
    extra: timerField,
    action: (colleague) => `Start conversation with ${colleague.displayName}`,
    progress: (colleague) => `Starting an encrypted conversation with ${colleague.displayName}…`,
    run: async (colleague) => onStarted(await start([colleague.urn], Number(timer.value))),
    onCancel,
  });
}

/**
 * "Add a colleague" to the open conversation.
 * @param {(urns: string[]) => Promise<number>} add adds every device of theirs, resolves with how many
 * @param {(colleague: object, devices: number) => void} onAdded
 */
export function addColleagueForm(directory, add, onAdded, onCancel) {
  return colleagueFinder(directory, {
    className: "add-colleague",
    heading: "Add a colleague",
    intro: "They will read what is sent from now on; earlier messages stay readable only by those who received them.",
    action: (colleague) => `Add ${colleague.displayName} to this conversation`,
    progress: (colleague) => `Adding ${colleague.displayName}…`,
    run: async (colleague) => onAdded(colleague, await add([colleague.urn])),
    onCancel,
  });
}

function colleagueFinder(directory, { className, heading, intro, extra, action, progress, run, onCancel }) {
  const name = field("Colleague's user name", { name: "colleague", autocomplete: "off", autocapitalize: "none", spellcheck: "false", required: true },
    "Their exact user name, as on their badge or in the staff list, for example nurse.kim.");
  const find = el("button", { type: "submit" }, "Find colleague");
  const status = el("p", { class: "status", role: "status", "aria-live": "polite", hidden: true });
  const found = el("div", { class: "found" });
  const cancel = el("button", { type: "button", class: "secondary" }, "Cancel");
  cancel.addEventListener("click", onCancel);
  const form = el("form", { class: "find-colleague", novalidate: true }, name.node, ...(extra ? [extra] : []),
    el("div", { class: "actions" }, find, cancel), status);

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
      const go = el("button", { type: "button" }, action(colleague));
      found.replaceChildren(el("p", {}, `${colleague.displayName} (${colleague.username})`), go);
      go.addEventListener("click", async () => {
        go.disabled = true;
        tell(progress(colleague));
        try {
          await run(colleague);
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
    node: el("div", { class: className }, el("h2", { id: "conversation-title" }, heading),
      el("p", { class: "hint" }, intro), form, found),
    focus: () => name.input.focus(),
  };
}
