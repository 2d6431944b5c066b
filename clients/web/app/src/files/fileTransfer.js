// Files in conversations, as the Java SDK's ConversationFiles does them, through the DPoP-signed API of this browser
// device: upload through the server's scanned pipeline (POST /v1/files), share into a conversation
// (POST /v1/conversations/:groupId/attachments), download (GET /v1/files/:id) checked against the SHA-256 the
// end-to-end encrypted announcement carries, and withdraw one that could not be shared (DELETE /v1/files/:id). Every refusal comes back as a FileError whose message is for the person.
import { ApiError, jsonOf, signedFetch } from "../api.js";
import { downloadRefusal, heldForReview, shareRefusal, uploadRefusal } from "./fileWords.js";

export class FileError extends Error {
  constructor(message, code) {
    super(message);
    this.name = "FileError";
    this.code = code;
  }
}

/** Hex SHA-256 of bytes (WebCrypto). */
export async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

function base64url(text) {
  let binary = "";
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * @param device this browser device (its key signs every request)
 * @param tokens the session's SessionTokens (an expired access token is renewed and the request sent again)
 */
export function fileTransfer(device, tokens) {
  const request = (method, path, init) => tokens.with(async (token) => {
    const response = await signedFetch(method, path, { device, token }, init);
    if (response.status === 401) {
      const json = await jsonOf(response);
      throw new ApiError(401, json?.error ?? "auth.required", json?.message ?? "Sign in again, then try again.", json);
    }
    return response;
  });
  const words = (e) => (e instanceof ApiError ? e.message : "Something went wrong; try again.");

  return {
    /**
     * Uploads {@code file}, with the sender's reason when the policy asks for one; resolves with what the server kept
     * once it is committed (scanned clean):
     * {id, size, sha256, contentType, found}. Throws a FileError naming the verdict otherwise.
     */
    async upload(file, reason = "") {
      const headers = { "Content-Type": file.type || "application/octet-stream", "X-Wardline-File-Name": base64url(file.name) };
      // The reason's words stay here (the server keeps only that one was given): sent percent-encoded, as a header
      // takes Latin-1 only.
      if (reason.trim()) headers["X-Wardline-Justification"] = encodeURIComponent(reason.trim());
      let response;
      try {
        response = await request("POST", "/v1/files", { headers, body: file });
      } catch (e) {
        throw new FileError(`Not sent: ${words(e)}`, e?.code);
      }
      const json = await jsonOf(response);
      if (response.status === 202) throw new FileError(heldForReview(json?.verdict), "upload.quarantined");
      if (response.status !== 201 || json?.state !== "committed") {
        throw new FileError(uploadRefusal(response.status, json), json?.error ?? "server.error");
      }
      return { id: json.id, size: json.size, sha256: json.sha256, contentType: json.contentType ?? "", found: json.verdict?.found };
    },

    /** Shares a committed file of this user into the conversation (its MLS group ID in hex). */
    async share(groupIdHex, fileId) {
      let response;
      try {
        response = await request("POST", `/v1/conversations/${groupIdHex}/attachments`,
          { headers: { "Content-Type": "application/json" }, body: JSON.stringify({ fileId }) });
      } catch (e) {
        throw new FileError(`Not shared: ${words(e)}`, e?.code);
      }
      if (response.status !== 201) {
        const json = await jsonOf(response);
        throw new FileError(shareRefusal(response.status, json), json?.error ?? "server.error");
      }
    },

    /** Takes back a file just uploaded that could not be shared (the server keeps a quarantined or used one). */
    async withdraw(fileId) {
      await request("DELETE", `/v1/files/${encodeURIComponent(fileId)}`).catch(() => undefined);
    },

    /**
     * Downloads an announced file ({fileId, sha256}); resolves with its bytes only when their SHA-256 is the one the
     * announcement carries. A file whose announcement has no hash is not handed out: it cannot be checked.
     */
    async download({ fileId, sha256 }) {
      if (!/^[0-9a-f]{64}$/i.test(sha256 ?? "")) {
        throw new FileError("This file cannot be checked: its announcement carries no SHA-256, so it was not saved.", "client.integrity");
      }
      let response;
      try {
        response = await request("GET", `/v1/files/${encodeURIComponent(fileId)}`, { headers: { Accept: "*/*" } });
      } catch (e) {
        throw new FileError(`Not downloaded: ${words(e)}`, e?.code);
      }
      if (!response.ok) {
        const json = await jsonOf(response);
        throw new FileError(downloadRefusal(response.status, json), json?.error ?? "server.error");
      }
      let bytes;
      try {
        bytes = new Uint8Array(await response.arrayBuffer());
      } catch {
        throw new FileError("The download broke off before the whole file arrived; nothing was saved. Try again.", "client.io");
      }
      if ((await sha256Hex(bytes)) !== sha256.toLowerCase()) {
        throw new FileError("The download was discarded: it is not the file that was shared (its SHA-256 differs from the "
          + "announcement). Tell your IT security team.", "client.integrity");
      }
      return bytes;
    },
  };
}

/** A name safe to save under, as the Java client makes it: no folders, no control characters, not hidden. */
export function safeFileName(name, fileId) {
  let base = String(name ?? "").replace(/\\/g, "/");
  base = base.slice(base.lastIndexOf("/") + 1).replace(/[\u0000-\u001f\u007f]/g, "_").trim().replace(/^\.+/, "");
  return base || `attachment-${fileId}`;
}

/** Hands the bytes to the browser's downloads under {@code name} (a Blob URL, revoked once the download has it). */
export function saveFile(bytes, name) {
  const url = URL.createObjectURL(new Blob([bytes], { type: "application/octet-stream" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
