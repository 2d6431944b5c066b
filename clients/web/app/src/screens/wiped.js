// After a remote wipe: what happened, in words, and how to use Wardline here again.
import { el, show } from "../ui.js";

export function renderWiped(main, { confirmed, onSetUpAgain }) {
  const again = el("button", { type: "button" }, "Set up this browser again");
  again.addEventListener("click", onSetUpAgain);
  show(main,
    el("h1", {}, "Wardline was wiped from this browser"),
    el("p", { class: "status ok", role: "status" }, "Your organisation asked for this device to be wiped, for example because it was reported lost. "
      + "Its key, its conversations and the messages kept on it are deleted from this browser."),
    el("p", {}, confirmed
      ? "Wardline has recorded that the wipe is done. This browser is no longer one of your devices."
      : "The wipe is done here, but Wardline could not be told just now. Tell your security officer that this device was wiped."),
    el("p", {}, "Messages sent to you are still on your other devices. To use Wardline in this browser again, enroll it again."),
    again);
}

/** The local data could not be destroyed yet: say how to finish. */
export function renderWipeBlocked(main, onRetry) {
  const retry = el("button", { type: "button" }, "Finish the wipe");
  retry.addEventListener("click", onRetry);
  show(main,
    el("h1", {}, "This browser must be wiped"),
    el("p", { class: "status bad", role: "alert" }, "Your organisation asked for Wardline to be wiped from this device, "
      + "but another Wardline tab or window still has its data open. Close every other Wardline tab, then finish the wipe."),
    retry);
}
