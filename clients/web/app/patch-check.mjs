// Refuses to bundle an unpatched ts-mls (patches/ts-mls+1.6.4.patch, applied by the root postinstall): a user's
// npmrc with ignore-scripts=true would otherwise ship a client that cannot read the server's external_senders list.
import { readFile } from "node:fs/promises";

/** The marker the patch adds to ts-mls's externalSender.js. */
export const PATCH_MARKER = "export function decodeExternalSendersExtension";

/** Throws unless the ts-mls entry module at `entryUrl` sits beside a patched externalSender.js. */
export async function assertTsMlsPatched(entryUrl) {
  const file = new URL("./externalSender.js", entryUrl);
  let source;
  try {
    source = await readFile(file, "utf8");
  } catch {
    throw new Error(`ts-mls: ${file.pathname} not found; run npm ci in clients/web`);
  }
  if (!source.includes(PATCH_MARKER)) {
    throw new Error("ts-mls is not patched (patches/ts-mls+1.6.4.patch); run npm ci in clients/web with scripts enabled");
  }
}
