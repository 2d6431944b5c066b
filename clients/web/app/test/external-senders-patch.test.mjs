// Proves patches/ts-mls+1.6.4.patch: the external_senders extension is the LIST of RFC 9420 §12.1.8.1, as bcmls
// and the Wardline server write it, and an external Remove from a listed sender is accepted and committed.
// Drop the patch (and keep this test) once a ts-mls release with upstream PR #476 (2.0.0-rc.12) is served.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  acceptAll, createCommit, createGroup, createGroupInfoWithExternalPub, defaultCapabilities,
  defaultLifetime, emptyPskIndex, encodeExternalSender, generateKeyPackage,
  getCiphersuiteFromName, getCiphersuiteImpl, joinGroup, mlsExporter, processMessage, proposeExternal,
} from "ts-mls";
import * as mls from "ts-mls"; // the list codec the patch adds, looked up so the other tests run without the patch

const SUITE = "MLS_256_DHKEMP384_AES256GCM_SHA384_P384"; // 0x0007, the suite Wardline uses
const text = (s) => new TextEncoder().encode(s);
const basic = (name) => ({ credentialType: "basic", identity: text(name) });

/** RFC 9000 §16 variable-length integer, the length prefix of an MLS vector (RFC 9420 §2.1.2). */
function vectorOf(items) {
  const body = Buffer.concat(items.map((i) => Buffer.from(i)));
  if (body.length >= 0x4000) throw new Error("test vector too long");
  const prefix = body.length < 0x40 ? [body.length] : [0x40 | (body.length >> 8), body.length & 0xff];
  return new Uint8Array(Buffer.concat([Buffer.from(prefix), body]));
}

async function member(cs, name) {
  const kp = await generateKeyPackage(basic(name), defaultCapabilities(), defaultLifetime, [], cs);
  return { name, ...kp };
}

/** A group of three whose external_senders extension lists two senders; the server is the second one (index 1). */
async function groupWithServerAsSecondExternalSender() {
  const cs = await getCiphersuiteImpl(getCiphersuiteFromName(SUITE));
  const other = await cs.signature.keygen();
  const server = await cs.signature.keygen();
  // Encoded by hand, sender by sender, so the test does not rest on the patched encoder.
  const extensionData = vectorOf([
    encodeExternalSender({ signaturePublicKey: other.publicKey, credential: basic("another-service") }),
    encodeExternalSender({ signaturePublicKey: server.publicKey, credential: basic("wardline-server") }),
  ]);
  const extensions = [{ extensionType: "external_senders", extensionData }];
  const [alice, bob, carol] = [await member(cs, "alice"), await member(cs, "bob"), await member(cs, "carol")];
  let aliceState = await createGroup(text("ward-7-handover"), alice.publicPackage, alice.privatePackage, extensions, cs);
  const added = await createCommit({ state: aliceState, cipherSuite: cs }, {
    ratchetTreeExtension: true,
    extraProposals: [bob, carol].map((m) => ({ proposalType: "add", add: { keyPackage: m.publicPackage } })),
  });
  aliceState = added.newState;
  const bobState = await joinGroup(added.welcome, bob.publicPackage, bob.privatePackage, emptyPskIndex, cs);
  const carolState = await joinGroup(added.welcome, carol.publicPackage, carol.privatePackage, emptyPskIndex, cs);
  return { cs, server, other, extensionData, aliceState, bobState, carolState };
}

async function exporter(state, cs) {
  return Buffer.from(await mlsExporter(state.keySchedule.exporterSecret, "wardline-test", new Uint8Array(), 32, cs)).toString("hex");
}

test("an external_senders extension holding a list of two senders decodes to both, in order", async () => {
  const { extensionData, server } = await groupWithServerAsSecondExternalSender();
  const [senders, consumed] = mls.decodeExternalSenders(extensionData, 0);
  assert.equal(consumed, extensionData.length);
  assert.deepEqual(senders.map((s) => new TextDecoder().decode(s.credential.identity)), ["another-service", "wardline-server"]);
  assert.deepEqual(senders[1].signaturePublicKey, server.publicKey);
  assert.deepEqual(mls.encodeExternalSenders(senders), extensionData);
});

test("members join a group whose external_senders is a list (1.6.4 failed: Could not decode ExternalSender)", async () => {
  const { aliceState, bobState, carolState, cs } = await groupWithServerAsSecondExternalSender();
  assert.equal(bobState.groupContext.epoch, aliceState.groupContext.epoch);
  assert.equal(await exporter(carolState, cs), await exporter(aliceState, cs));
});

test("the server's external Remove (sender index 1) is accepted and committed by another member", async () => {
  const { cs, server, aliceState, bobState, carolState } = await groupWithServerAsSecondExternalSender();
  const groupInfo = await createGroupInfoWithExternalPub(aliceState, [], cs);
  const carolLeaf = 2;
  const removal = await proposeExternal(groupInfo, { proposalType: "remove", remove: { removed: carolLeaf } },
    server.publicKey, server.signKey, cs);
  assert.deepEqual(removal.publicMessage.content.sender, { senderType: "external", senderIndex: 1 });

  const atAlice = await processMessage(removal, aliceState, emptyPskIndex, acceptAll, cs);
  const atBob = await processMessage(removal, bobState, emptyPskIndex, acceptAll, cs);
  assert.equal(atBob.actionTaken, "accept");

  const commit = await createCommit({ state: atBob.newState, cipherSuite: cs });
  const aliceAfter = await processMessage(commit.commit, atAlice.newState, emptyPskIndex, acceptAll, cs);
  const bobAfter = commit.newState;

  assert.equal(bobAfter.groupContext.epoch, aliceState.groupContext.epoch + 1n);
  assert.equal(aliceAfter.newState.groupContext.epoch, bobAfter.groupContext.epoch);
  assert.equal(await exporter(aliceAfter.newState, cs), await exporter(bobAfter, cs));
  assert.equal(bobAfter.ratchetTree[carolLeaf * 2], undefined, "carol's leaf is blank after the commit");
  await assert.rejects(processMessage(commit.commit, carolState, emptyPskIndex, acceptAll, cs),
    "the removed member cannot follow into the new epoch");
});

test("a Remove from a key that is not a listed external sender is refused", async () => {
  const { cs, server, aliceState, bobState } = await groupWithServerAsSecondExternalSender();
  const groupInfo = await createGroupInfoWithExternalPub(aliceState, [], cs);
  const stranger = await cs.signature.keygen();
  const remove = { proposalType: "remove", remove: { removed: 2 } };
  await assert.rejects(proposeExternal(groupInfo, remove, stranger.publicKey, stranger.signKey, cs),
    /not one of the group's external senders/);

  // Claims the server's place in the list (index 1) but is signed by the stranger: the signature check refuses it.
  const forged = await proposeExternal(groupInfo, remove, server.publicKey, stranger.signKey, cs);
  await assert.rejects(processMessage(forged, bobState, emptyPskIndex, acceptAll, cs));
});
