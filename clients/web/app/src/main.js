// The clinicians' app: entry point. Today it shows the first-run screen: what enrolling this browser means and
// whether this browser can hold a device key that never leaves it.
import { checkDeviceSupport } from "./device/support.js";
import { renderFirstRun } from "./screens/firstRun.js";

const main = document.getElementById("main");
renderFirstRun(main, await checkDeviceSupport(globalThis));
