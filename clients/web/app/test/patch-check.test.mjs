// The build's guard against an unpatched ts-mls (app/patch-check.mjs).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { assertTsMlsPatched, PATCH_MARKER } from "../patch-check.mjs";

const made = [];
after(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

async function fakeTsMls(externalSenderSource) {
  const dir = await mkdtemp(join(tmpdir(), "ts-mls-"));
  made.push(dir);
  await writeFile(join(dir, "index.js"), "export {};\n");
  await writeFile(join(dir, "externalSender.js"), externalSenderSource);
  return pathToFileURL(join(dir, "index.js"));
}

test("an unpatched ts-mls is refused", async () => {
  const entry = await fakeTsMls("export const decodeExternalSender = () => undefined;\n");
  await assert.rejects(assertTsMlsPatched(entry), /not patched/);
});

test("a patched ts-mls passes", async () => {
  const entry = await fakeTsMls(`${PATCH_MARKER}(extensionData) {}\n`);
  await assertTsMlsPatched(entry);
});

test("the installed ts-mls is patched", async () => {
  await assertTsMlsPatched(import.meta.resolve("ts-mls"));
});
