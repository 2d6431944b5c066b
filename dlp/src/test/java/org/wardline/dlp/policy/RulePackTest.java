package org.wardline.dlp.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.dlp.detect.PhiCategory;

class RulePackTest {

  private static final String BASE = """
      name: base
      phi:
        default: {INTERNAL_CONVERSATION: TAG, EXTERNAL_SHARE_LINK: REQUIRE_JUSTIFICATION}
      content:
        executable: BLOCK
        script: BLOCK
        encrypted: QUARANTINE
        typeMismatch: QUARANTINE
        suspiciousEntryNames: BLOCK
        scanIncomplete: QUARANTINE
        scannerUnavailable: BLOCK
      """;

  private static RulePack parse(String... yamls) throws RulePackException {
    List<RulePackParser.Source> sources = new java.util.ArrayList<>();
    for (int i = 0; i < yamls.length; i++) {
      sources.add(new RulePackParser.Source("layer" + i + ".yaml", yamls[i]));
    }
    return RulePackParser.parse(sources);
  }

  private static List<String> problems(String... yamls) {
    try {
      parse(yamls);
    } catch (RulePackException e) {
      return e.problems();
    }
    throw new AssertionError("expected the rule pack to be rejected");
  }

  @Test
  void committedDefaultPackLoadsAndIsComplete() throws Exception {
    RulePack pack = new RulePackLoader(RulePacks.configDir()).load(Optional.empty(), Optional.empty());
    assertThat(pack.name()).isEqualTo("default");
    assertThat(pack.forPhi(PhiCategory.SSN, Destination.EXTERNAL_SHARE_LINK)).isEqualTo(Decision.QUARANTINE);
    assertThat(pack.forPhi(PhiCategory.EMAIL, Destination.INTERNAL_CONVERSATION)).isEqualTo(Decision.TAG);
    assertThat(pack.content().executable()).isEqualTo(Decision.BLOCK);
  }

  @Test
  void organisationAndTeamOverridesReplaceOnlyWhatTheyName() throws Exception {
    RulePackLoader loader = new RulePackLoader(RulePacks.configDir());
    RulePack team = loader.load(Optional.of("example-hospital"), Optional.of("oncology"));
    assertThat(team.name()).isEqualTo("default+org:example-hospital+team:oncology");
    assertThat(team.forPhi(PhiCategory.SSN, Destination.EXTERNAL_SHARE_LINK)).isEqualTo(Decision.BLOCK);
    assertThat(team.forPhi(PhiCategory.DATE, Destination.EXTERNAL_SHARE_LINK)).isEqualTo(Decision.TAG);
    assertThat(team.forPhi(PhiCategory.DATE, Destination.INTERNAL_CONVERSATION)).isEqualTo(Decision.TAG);
    assertThat(team.content().encrypted()).isEqualTo(Decision.BLOCK);
    RulePack other = loader.load(Optional.of("no-such-org"), Optional.empty());
    assertThat(other.forPhi(PhiCategory.SSN, Destination.EXTERNAL_SHARE_LINK)).isEqualTo(Decision.QUARANTINE);
  }

  @Test
  void orgAndTeamIdsCannotEscapeTheDirectory() {
    RulePackLoader loader = new RulePackLoader(RulePacks.configDir());
    assertThatThrownBy(() -> loader.load(Optional.of("../../etc"), Optional.empty()))
        .isInstanceOf(RulePackException.class).hasMessageContaining("organisation id");
  }

  @Test
  void unknownDecisionIsReportedWithItsPath() {
    assertThat(problems(BASE, "name: x\nphi:\n  SSN:\n    EXTERNAL_SHARE_LINK: BLOK\n"))
        .containsExactly("layer1.yaml: phi.SSN.EXTERNAL_SHARE_LINK: unknown decision \"BLOK\" (expected one of "
            + "[ALLOW, TAG, REQUIRE_JUSTIFICATION, QUARANTINE, BLOCK])");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    List<String> problems = problems(BASE, """
        name: x
        colour: blue
        phi:
          SOCIAL: {INTERNAL_CONVERSATION: TAG}
          EMAIL: {PUBLIC_WEBSITE: TAG}
        content:
          executable: 3
        """);
    assertThat(problems).hasSize(4);
    assertThat(problems).anyMatch(p -> p.startsWith("layer1.yaml: colour: unknown key"));
    assertThat(problems).anyMatch(p -> p.startsWith("layer1.yaml: phi.SOCIAL: unknown PHI category"));
    assertThat(problems).anyMatch(p -> p.startsWith("layer1.yaml: phi.EMAIL.PUBLIC_WEBSITE: unknown destination"));
    assertThat(problems).anyMatch(p -> p.startsWith("layer1.yaml: content.executable: unknown decision of type Integer"));
  }

  @Test
  void incompleteScansCanNeverBeAllowedAndMalwareIsNotConfigurable() {
    assertThat(problems(BASE, "name: x\ncontent:\n  scanIncomplete: ALLOW\n"))
        .singleElement().asString().startsWith("layer1.yaml: content.scanIncomplete: content that was not fully scanned");
    assertThat(problems(BASE, "name: x\ncontent:\n  scanIncomplete: REQUIRE_JUSTIFICATION\n"))
        .as("a sender's reason does not inspect what could not be read")
        .singleElement().asString().startsWith("layer1.yaml: content.scanIncomplete: content that was not fully scanned");
    assertThat(problems(BASE, "name: x\ncontent:\n  encrypted: ALLOW\n"))
        .singleElement().asString().startsWith("layer1.yaml: content.encrypted: encrypted content could not be inspected");
    assertThat(problems(BASE, "name: x\ncontent:\n  scannerUnavailable: TAG\n"))
        .singleElement().asString().contains("content.scannerUnavailable");
    assertThat(problems(BASE, "name: x\nmalware:\n  infected: ALLOW\n"))
        .singleElement().asString().contains("malware: infected content is always blocked");
  }

  @Test
  void basePackMustCoverEveryCategoryAndRule() {
    List<String> problems = problems("name: thin\nphi:\n  SSN: {INTERNAL_CONVERSATION: TAG}\n");
    assertThat(problems).contains("phi.SSN.EXTERNAL_SHARE_LINK: no decision (set it, or phi.default in the base pack)",
        "content.executable: no decision");
  }

  @Test
  void overridesMayNotSetDefaults() {
    assertThat(problems(BASE, "name: x\nphi:\n  default: {INTERNAL_CONVERSATION: ALLOW}\n"))
        .singleElement().asString().contains("phi.default: only the base pack may set defaults");
  }

  @Test
  void brokenYamlNamesFileLineAndColumn() {
    assertThat(problems(BASE, "name: x\nphi: [unclosed\n"))
        .singleElement().asString().startsWith("layer1.yaml: line ").contains("not valid YAML");
    assertThat(problems("- just\n- a list\n")).first().asString().isEqualTo("layer0.yaml: (document): expected a mapping of names");
  }

  @Test
  void missingDefaultPackIsAClearError(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("orgs"));
    assertThatThrownBy(() -> new RulePackLoader(dir).load(Optional.empty(), Optional.empty()))
        .isInstanceOf(RulePackException.class).hasMessageContaining("default.yaml: missing");
  }
}
