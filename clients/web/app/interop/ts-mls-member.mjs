// A ts-mls group member for the Java interoperability tests, driven over stdin/stdout, one JSON object a line:
//   it prints {"keyPackage": <base64 MLSMessage>} for a basic credential naming argv[2];
//   given {"welcome": <base64 MLSMessage>} it joins and prints {"epoch", "epochAuthenticator", "externalSenders"};
// Errors are printed as {"error": <message>} and end the process with status 1.
import { createInterface } from "node:readline";
import {
  decodeMlsMessage, defaultCapabilities, defaultLifetime, emptyPskIndex, encodeMlsMessage, generateKeyPackage,
  getCiphersuiteFromName, getCiphersuiteImpl, joinGroup,
} from "ts-mls";
import * as mls from "ts-mls";

const cs = await getCiphersuiteImpl(getCiphersuiteFromName("MLS_256_DHKEMP384_AES256GCM_SHA384_P384"));
const b64 = (bytes) => Buffer.from(bytes).toString("base64");
const hex = (bytes) => Buffer.from(bytes).toString("hex");
const print = (object) => process.stdout.write(JSON.stringify(object) + "\n");

const identity = new TextEncoder().encode(process.argv[2]);
const kp = await generateKeyPackage({ credentialType: "basic", identity }, defaultCapabilities(), defaultLifetime, [], cs);
print({ keyPackage: b64(encodeMlsMessage({ version: "mls10", wireformat: "mls_key_package", keyPackage: kp.publicPackage })) });

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  try {
    const request = JSON.parse(line);
    if (request.welcome) {
      const [message] = decodeMlsMessage(Buffer.from(request.welcome, "base64"), 0);
      const state = await joinGroup(message.welcome, kp.publicPackage, kp.privatePackage, emptyPskIndex, cs);
      const extension = state.groupContext.extensions.find((e) => e.extensionType === "external_senders");
      const [senders] = mls.decodeExternalSenders(extension.extensionData, 0);
      print({
        epoch: String(state.groupContext.epoch),
        epochAuthenticator: hex(state.keySchedule.epochAuthenticator),
        externalSenders: senders.map((s) => ({ identity: new TextDecoder().decode(s.credential.identity), signatureKey: hex(s.signaturePublicKey) })),
      });
    }
  } catch (error) {
    print({ error: String(error?.message ?? error) });
    process.exit(1);
  }
}
