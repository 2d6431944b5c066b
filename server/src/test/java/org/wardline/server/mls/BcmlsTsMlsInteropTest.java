package org.wardline.server.mls;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wardline.protocol.mls.ConversationGroup;
import org.wardline.protocol.mls.DeviceMlsIdentity;
import org.wardline.protocol.mls.DeviceUri;
import org.wardline.protocol.mls.ExternalSenderKey;
import org.wardline.protocol.mls.ExternalSenderSigner;
import org.wardline.protocol.mls.MlsSuites;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java clients' MLS (bcmls) and the browser's (ts-mls 1.6.4 with the external_senders patch, in Node) in one
 * group: a group created the way the Java clients create it, naming the server as external sender, welcomes a
 * ts-mls member, which decodes the extension as a list and agrees on the epoch, its authenticator and an exporter.
 */
class BcmlsTsMlsInteropTest {
    private Process node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.destroy();
        }
    }

    @Test
    void aBcmlsGroupNamingTheServerAsExternalSenderWelcomesATsMlsMember() throws Exception {
        Path root = Path.of(System.getProperty("wardline.repo.root", ".."));
        Path script = root.resolve("clients/web/app/interop/ts-mls-member.mjs");
        assertThat(script).exists();
        DeviceUri browser = DeviceUri.of(UUID.randomUUID(), UUID.randomUUID());
        node = new ProcessBuilder("node", script.toString(), browser.toString()).directory(script.getParent().toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);

        JsonObject offered = answer(out);
        AsymmetricCipherKeyPair serverKeys = ExternalSenderSigner.generateKeyPair(MlsSuites.DEFAULT_ID);
        ExternalSenderKey server = ExternalSenderSigner.of(MlsSuites.DEFAULT_ID, serverKeys.getPrivate(), serverKeys.getPublic()).key();
        DeviceMlsIdentity alice = DeviceMlsIdentity.generate(DeviceUri.of(UUID.randomUUID(), UUID.randomUUID()), MlsSuites.DEFAULT_ID);
        ConversationGroup group = ConversationGroup.create(alice, ("interop-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8), server);
        ConversationGroup.PendingCommit add = group.commitAdd(List.of(Base64.getDecoder().decode(offered.getString("keyPackage"))));
        group.accept(add);
        assertThat(group.members().values()).contains(browser);

        in.write(new JsonObject().put("welcome", Base64.getEncoder().encodeToString(add.welcome())).encode() + "\n");
        in.flush();
        JsonObject joined = answer(out);
        assertThat(joined.getString("epoch")).isEqualTo(String.valueOf(group.epoch()));
        assertThat(joined.getString("epochAuthenticator")).isEqualTo(HexFormat.of().formatHex(group.epochAuthenticator()));
        JsonArray senders = joined.getJsonArray("externalSenders");
        assertThat(senders).hasSize(1);
        assertThat(senders.getJsonObject(0).getString("identity")).isEqualTo(ExternalSenderKey.IDENTITY);
        assertThat(senders.getJsonObject(0).getString("signatureKey")).isEqualTo(HexFormat.of().formatHex(server.signatureKey()));

        in.close();
        assertThat(node.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).isZero();
    }

    private static JsonObject answer(BufferedReader out) throws Exception {
        String line = out.readLine();
        assertThat(line).as("the ts-mls member answered").isNotNull();
        JsonObject json = new JsonObject(line);
        assertThat(json.getString("error")).as("the ts-mls member's error").isNull();
        return json;
    }
}
