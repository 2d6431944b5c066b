package org.wardline.server.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code cluster:} section: off by default, and every mistake reported with its path. */
class ClusterSettingsTest {
    private static final String VALID = """
            server:
              public: {host: 0.0.0.0, port: 443}
              device: {host: 0.0.0.0, port: 8443}
              publicUrl: https://wardline.example.org
            tls:
              certificate: /etc/wardline/server.crt
              privateKey: /etc/wardline/server.key
            pki:
              passphrase: ca-pass
            database:
              host: 127.0.0.1
              password: pw
            storage:
              s3:
                endpoint: https://s3.example.org
                accessKey: wardline
                secretKey: s3-secret
            keys:
              passphrase: keys-pass
            dlp:
              rulePacks: %s
              malware: {host: 127.0.0.1, port: 3310}
            mail:
              smtp: {host: smtp.example.org}
            """.formatted(java.nio.file.Path.of(System.getProperty("wardline.repo.root", ".."), "config/dlp").toAbsolutePath());

    private static WardlineConfig load(String yaml, Map<String, String> env) {
        return ConfigLoader.load(ConfigLoader.parseYaml(yaml, "test.yaml"), env, Path.of("/etc/wardline"));
    }

    @Test
    void aSingleNodeNeedsNoClusterSection() {
        assertThat(load(VALID, Map.of()).cluster().enabled()).isFalse();
    }

    @Test
    void aClusterSectionIsReadWithItsDefaults() {
        WardlineConfig.Cluster c = load(VALID + """
                cluster:
                  enabled: true
                  host: 10.0.0.11
                  members: [wardline-0.wardline-cluster:5701, "10.0.0.12", "[fd00::13]:5701"]
                  tls: {enabled: false}
                """, Map.of()).cluster();
        assertThat(c.enabled()).isTrue();
        assertThat(c.port()).isEqualTo(5701);
        assertThat(c.eventBusPort()).isEqualTo(5702);
        assertThat(c.publicHost()).as("defaults to the bound address").isEqualTo("10.0.0.11");
        assertThat(c.members()).containsExactly("wardline-0.wardline-cluster:5701", "10.0.0.12", "[fd00::13]:5701");
        assertThat(c.joinWaitSeconds()).isEqualTo(5);
        assertThat(c.tls().enabled()).isFalse();
    }

    @Test
    void environmentVariablesSetTheMemberListAsCommaSeparatedText() {
        WardlineConfig.Cluster c = load(VALID, Map.of("WARDLINE_CLUSTER_ENABLED", "true", "WARDLINE_CLUSTER_HOST", "10.1.2.3",
                "WARDLINE_CLUSTER_PUBLIC_HOST", "wardline-1.wardline-cluster.prod.svc.cluster.local",
                "WARDLINE_CLUSTER_MEMBERS", "wardline-0.wardline-cluster:5701, wardline-1.wardline-cluster:5701",
                "WARDLINE_CLUSTER_TLS_ENABLED", "false")).cluster();
        assertThat(c.members()).containsExactly("wardline-0.wardline-cluster:5701", "wardline-1.wardline-cluster:5701");
        assertThat(c.publicHost()).isEqualTo("wardline-1.wardline-cluster.prod.svc.cluster.local");
    }

    @Test
    void everyClusterMistakeIsReportedTogether() {
        assertThatThrownBy(() -> load(VALID + """
                cluster:
                  enabled: true
                  host: wardline-0.example.org
                  port: 8443
                  eventBusPort: 8443
                  members: ["10.0.0.1:99999", "bad host"]
                """, Map.of()))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString)
                        .contains(
                                "cluster.host: must be an IP address literal (was wardline-0.example.org)",
                                "cluster.eventBusPort: must differ from cluster.port (8443)",
                                "cluster.port: port 8443 is already used by a listener",
                                "cluster.members: not host[:port]: 10.0.0.1:99999, bad host"));
    }

    @Test
    void anEnabledClusterNeedsAnInterfaceAndMembers() {
        assertThatThrownBy(() -> load(VALID + "cluster: {enabled: true}\n", Map.of()))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::path)
                        .containsExactlyInAnyOrder("cluster.host", "cluster.members", "cluster.tls.trust"));
        assertThatThrownBy(() -> load(VALID + "cluster: {enabled: true, host: 0.0.0.0, members: [10.0.0.2], tls: {enabled: false}}\n", Map.of()))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString)
                        .containsExactly("cluster.host: must name one interface, not the wildcard address"));
        assertThatThrownBy(() -> load(VALID + "cluster: {enabled: true, host: 127.0.0.1, members: [10.0.0.2], tls: {enabled: false}}\n", Map.of()))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString)
                        .containsExactly("cluster.host: a node bound to loopback cannot reach members on other hosts"));
    }

    @Test
    void anUnknownClusterSettingIsReported() {
        assertThatThrownBy(() -> load(VALID + "cluster: {enabled: true, host: 10.0.0.1, members: [10.0.0.2], multicast: true, tls: {enabled: false}}\n",
                Map.of()))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString)
                        .containsExactly("cluster.multicast: unknown setting"));
    }

    @Test
    void theEventBusSpeaksMutualTlsWithTheServerCertificateUnlessWaived(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path ca = java.nio.file.Files.writeString(dir.resolve("cluster-ca.crt"), "-----BEGIN CERTIFICATE-----\n");
        WardlineConfig.EventBusTls tls = load(VALID + """
                cluster:
                  enabled: true
                  host: 10.0.0.11
                  members: [10.0.0.12]
                  tls: {trust: %s}
                """.formatted(ca), Map.of()).cluster().tls();
        assertThat(tls.enabled()).isTrue();
        assertThat(tls.trust()).isEqualTo(ca);
        assertThat(tls.certificate()).isEqualTo(Path.of("/etc/wardline/server.crt"));
        assertThat(tls.privateKey()).isEqualTo(Path.of("/etc/wardline/server.key"));

        assertThatThrownBy(() -> load(VALID + """
                cluster: {enabled: true, host: 10.0.0.11, members: [10.0.0.12], tls: {trust: %s}}
                """.formatted(dir.resolve("missing.crt")), Map.of()))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString)
                        .containsExactly("cluster.tls.trust: no such file: " + dir.resolve("missing.crt")));
    }
}
