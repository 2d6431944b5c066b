package org.wardline.server.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.wardline.server.backup.BackupFuzzAccess;
import org.wardline.server.config.ConfigLoader;
import org.wardline.server.config.InvalidConfigException;
import org.wardline.server.sharelink.LinkSecretsFuzzAccess;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Configuration files, share-link secrets and codes, and backup headers, fuzzed (Jazzer). Each refuses bad input
 * with its own typed error and nothing else. Regression inputs are under
 * {@code src/test/resources/org/wardline/server/fuzz/OutsideInputFuzzTestInputs/<method>}.
 */
class OutsideInputFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void configurationLoader(byte[] data) {
        String text = new String(data, java.nio.charset.StandardCharsets.UTF_8);
        try {
            ConfigLoader.load(ConfigLoader.parseYaml(text, "fuzz.yaml"), Map.of(), Path.of("/nonexistent-wardline-fuzz"));
        } catch (InvalidConfigException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    @FuzzTest(maxDuration = "10m")
    void shareLinkSecretsAndCodes(FuzzedDataProvider data) {
        String secret = data.consumeString(64);
        String code = data.consumeRemainingAsString();
        LinkSecretsFuzzAccess.decodeSecret(secret).ifPresent(bytes -> assertThat(bytes).hasSize(32));
        if (LinkSecretsFuzzAccess.wellFormedCode(code)) {
            assertThat(code).matches("[0-9]{6,8}");
        }
    }

    @FuzzTest(maxDuration = "10m")
    void backupHeader(byte[] data) {
        try {
            BackupFuzzAccess.decodeHeader(data);
        } catch (org.wardline.server.backup.BackupException refused) {
            // a typed refusal
        }
    }
}
