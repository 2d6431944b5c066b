// What the server's answers about a file mean, in words a nurse can act on. The data-loss check's findings are shown
// as the server gives them: categories and counts ("2 names, 1 date"), never the text it matched.

/** "2 names, 1 date", or the number of findings when the server named no category; "" when there are none. */
export function findingsOf(verdict) {
  if (typeof verdict?.found === "string" && verdict.found) return verdict.found;
  const n = Array.isArray(verdict?.reasons) ? verdict.reasons.reduce((sum, r) => sum + (Number(r?.count) || 1), 0) : 0;
  return n === 0 ? "" : n === 1 ? "1 finding" : `${n} findings`;
}

const found = (verdict) => {
  const what = findingsOf(verdict);
  return what ? ` (found: ${what})` : "";
};

export function heldForReview(verdict) {
  return `Held for review: the data-loss check found patient information${found(verdict)}. The file was not shared; `
    + "a security officer reviews it before anyone can open it.";
}

export function uploadRefusal(status, json) {
  switch (json?.error) {
    case "upload.malware":
      return "Not sent: the malware scanner found malware in this file. Nothing was kept and nothing was shared.";
    case "upload.blocked":
      return `Not sent: the data-loss policy does not allow this file${found(json.verdict)}. Nothing was kept.`;
    case "upload.justification_required":
      return `Not sent yet: this file holds sensitive information${found(json.verdict)}. To send it anyway, write why `
        + "below; that you gave a reason is audited. Nothing was kept.";
    case "upload.scanner_unavailable":
      return "Not sent: the malware scanner is unavailable, and a file that was not checked is never shared. Try again later.";
    case "request.too_large":
      return "Not sent: the file is larger than this server accepts.";
    case "upload.truncated":
      return "Not sent: the upload broke off before the whole file arrived. Nothing was kept; try again.";
    default:
      return `Not sent: ${json?.message ?? `the server answered ${status}; try again.`}`;
  }
}

export function shareRefusal(status, json) {
  switch (json?.error) {
    case "attachment.not_ready":
      return "Not shared: the file is still being checked, or it is held for review.";
    case "conversation.not_member":
      return "Not shared: this device is no longer a member of this conversation.";
    case "resource.not_found":
      return "Not shared: the file is no longer on the server.";
    default:
      return `Not shared: ${json?.message ?? `the server answered ${status}; try again.`}`;
  }
}

export function downloadRefusal(status, json) {
  switch (json?.error) {
    case "resource.not_found":
      return "This file cannot be downloaded: it was deleted or has expired, or you are no longer a member of a "
        + "conversation it was shared into.";
    case "storage.unavailable":
    case "server.unavailable":
      return "File storage is unavailable right now; nothing was saved. Try again later.";
    default:
      return `Not downloaded: ${json?.message ?? `the server answered ${status}; try again.`}`;
  }
}
