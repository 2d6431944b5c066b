// Bundles the clinicians' app into dist/ (served by the public listener under /app/): one ES module, minified,
// no source maps shipped, no third-party origin. Prints the bundle's size, raw and gzipped.
import { build } from "esbuild";
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { assertTsMlsPatched } from "./patch-check.mjs";

await assertTsMlsPatched(import.meta.resolve("ts-mls"));

const out = new URL("./dist/", import.meta.url);
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

const result = await build({
  entryPoints: [new URL("./src/main.js", import.meta.url).pathname],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: ["chrome120", "firefox120", "safari17"],
  minify: true,
  legalComments: "eof",
  outfile: new URL("./app.js", out).pathname,
  metafile: true,
  logLevel: "warning",
});
for (const file of ["index.html", "app.css", "manifest.webmanifest", "sw.js", "icon-192.png", "icon-512.png"]) {
  await copyFile(new URL(`./static/${file}`, import.meta.url), new URL(file, out));
}
const bundle = await readFile(new URL("./app.js", out));
const size = { bytes: bundle.length, gzipBytes: gzipSync(bundle, { level: 9 }).length };
await writeFile(new URL("./bundle-size.json", out), JSON.stringify(size) + "\n");
await writeFile(new URL("../meta.json", out), JSON.stringify(result.metafile));
console.log(`app.js ${(size.bytes / 1024).toFixed(1)} KiB, ${(size.gzipBytes / 1024).toFixed(1)} KiB gzipped`);
