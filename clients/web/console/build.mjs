// Bundles the security officer's console into dist/ (served by the public listener under /console/): one ES module,
// minified, no source maps. Device, DPoP, sign-in and enrollment come from the clinicians' app (../app/src), imported.
import { build } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";

const out = new URL("./dist/", import.meta.url);
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: [new URL("./src/main.js", import.meta.url).pathname],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: ["chrome120", "firefox120", "safari17"],
  minify: true,
  legalComments: "eof",
  outfile: new URL("./console.js", out).pathname,
  logLevel: "warning",
});
for (const file of ["index.html", "console.css"]) {
  await copyFile(new URL(`./static/${file}`, import.meta.url), new URL(file, out));
}
