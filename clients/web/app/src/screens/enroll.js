// Enrollment: a one-time code for the signed-in user, a new non-extractable key, its certificate request, and the
// certificate that makes this browser one of the user's devices. The key is stored only after the server accepted it.
import { call } from "../api.js";
import { certificateRequest } from "../device/csr.js";
import { newDeviceKeys, saveDevice } from "../device/deviceStore.js";
import { el, field, say, show, statusArea } from "../ui.js";
import { messageFor } from "./signIn.js";

export function renderEnroll(main, { accessToken, onEnrolled }) {
  const name = field("Name for this device", { name: "device-name", value: "Ward PC", maxlength: "64", required: true },
    "Shown in your device list, so you and your security officer can recognise it. Do not use a patient's name.");
  const status = statusArea();
  const form = el("form", { novalidate: true }, name.node, el("button", { type: "submit" }, "Enroll this browser"), status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const deviceName = name.input.value.trim();
    if (!/^[\p{L}\p{N} ._'()-]{1,64}$/u.test(deviceName)) {
      say(status, "Use up to 64 letters, digits, spaces and . _ ' ( ) - for the name.", "bad");
      return;
    }
    try {
      say(status, "Creating this browser's key…");
      const { keys, publicJwk } = await newDeviceKeys();
      const csr = await certificateRequest(keys);
      say(status, "Asking Wardline to certify it…");
      const { code } = await call("POST", "/v1/devices/enrollment-codes", undefined, { token: accessToken });
      const issued = await call("POST", "/v1/devices/enroll", { code, csr, name: deviceName, platform: "browser", kind: "browser" });
      const device = { privateKey: keys.privateKey, publicKey: keys.publicKey, publicJwk, deviceId: issued.deviceId,
        userId: issued.userId, name: deviceName, certificate: issued.certificate, caCertificate: issued.caCertificate, notAfter: issued.notAfter };
      await saveDevice(device);
      await call("POST", "/v1/auth/logout", undefined, { token: accessToken }).catch(() => undefined);
      onEnrolled(device);
    } catch (error) {
      say(status, error?.name === "QuotaExceededError"
        ? "This browser has no room left to store the device key. Free some site storage, then try again."
        : messageFor(error), "bad");
    }
  });
  show(main,
    el("h1", {}, "Enroll this browser"),
    el("p", {}, "You are signed in. Now this browser makes its own key and Wardline certifies it as one of your devices."),
    form);
}
