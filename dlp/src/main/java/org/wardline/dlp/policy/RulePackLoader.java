package org.wardline.dlp.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the rule packs for an organisation and team in a directory laid out as
 * <pre>
 *   default.yaml                       the base pack (required)
 *   orgs/ORG.yaml                      organisation override (optional)
 *   orgs/ORG/teams/TEAM.yaml           team override (optional)
 * </pre>
 */
public final class RulePackLoader {

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  private final Path dir;

  public RulePackLoader(Path dir) {
    this.dir = dir;
  }

  public RulePack load(Optional<String> org, Optional<String> team) throws RulePackException, IOException {
    List<String> problems = new ArrayList<>();
    org.filter(o -> !ID.matcher(o).matches()).ifPresent(o -> problems.add("organisation id must match " + ID));
    team.filter(t -> !ID.matcher(t).matches()).ifPresent(t -> problems.add("team id must match " + ID));
    if (team.isPresent() && org.isEmpty()) {
      problems.add("a team override needs its organisation");
    }
    if (!problems.isEmpty()) {
      throw new RulePackException(problems);
    }
    List<RulePackParser.Source> layers = new ArrayList<>();
    Path base = dir.resolve("default.yaml");
    if (!Files.isRegularFile(base)) {
      throw new RulePackException(List.of("default.yaml: missing in the rule pack directory"));
    }
    layers.add(read(base));
    if (org.isPresent()) {
      Path orgFile = dir.resolve("orgs").resolve(org.get() + ".yaml");
      if (Files.isRegularFile(orgFile)) {
        layers.add(read(orgFile));
      }
      if (team.isPresent()) {
        Path teamFile = dir.resolve("orgs").resolve(org.get()).resolve("teams").resolve(team.get() + ".yaml");
        if (Files.isRegularFile(teamFile)) {
          layers.add(read(teamFile));
        }
      }
    }
    return RulePackParser.parse(layers);
  }

  private RulePackParser.Source read(Path file) throws IOException {
    return new RulePackParser.Source(dir.relativize(file).toString(), Files.readString(file, StandardCharsets.UTF_8));
  }
}
