package org.wardline.dlp.policy;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.wardline.dlp.detect.PhiCategory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads YAML rule packs and layers them: a base pack, then an organisation override, then a team override,
 * each replacing only what it names. Every problem is collected with its source and path
 * ({@code orgs/acme.yaml: phi.SSN.EXTERNAL_SHARE_LINK: unknown decision "BLOK"}) before failing.
 */
public final class RulePackParser {

  private static final Set<String> TOP_KEYS = Set.of("name", "minConfidence", "phi", "content");
  private static final String DEFAULT_ROW = "default";

  private final List<String> problems = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private Double minConfidence;
  private final Map<PhiCategory, Map<Destination, Decision>> phi = new EnumMap<>(PhiCategory.class);
  private final Map<String, Decision> content = new LinkedHashMap<>();
  private final Map<String, Decision> forbiddenTypes = new LinkedHashMap<>();

  /** Parses layers in order (base first) into one pack. */
  public static RulePack parse(List<Source> layers) throws RulePackException {
    RulePackParser p = new RulePackParser();
    for (int i = 0; i < layers.size(); i++) {
      p.layer(layers.get(i), i == 0);
    }
    return p.build();
  }

  /** YAML text and the name to show in errors (a relative path). */
  public record Source(String name, String yaml) {}

  private void layer(Source source, boolean base) {
    Object root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(source.yaml());
    } catch (MarkedYAMLException e) {
      problems.add(source.name() + ": line " + (e.getProblemMark().getLine() + 1) + ", column "
          + (e.getProblemMark().getColumn() + 1) + ": not valid YAML (" + e.getProblem() + ")");
      return;
    } catch (YAMLException e) {
      problems.add(source.name() + ": not valid YAML");
      return;
    }
    Map<String, Object> map = asMap(source, "", root);
    if (map == null) {
      return;
    }
    for (String key : map.keySet()) {
      if (key.equals("malware")) {
        problems.add(source.name() + ": malware: infected content is always blocked; it cannot be configured");
      } else if (!TOP_KEYS.contains(key)) {
        problems.add(source.name() + ": " + key + ": unknown key (expected one of " + sorted(TOP_KEYS) + ")");
      }
    }
    Object name = map.get("name");
    if (name instanceof String s && !s.isBlank()) {
      names.add(s);
    } else {
      problems.add(source.name() + ": name: required, a non-empty string");
    }
    if (map.containsKey("minConfidence")) {
      Object v = map.get("minConfidence");
      if (v instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 1) {
        minConfidence = n.doubleValue();
      } else {
        problems.add(source.name() + ": minConfidence: must be a number from 0 to 1");
      }
    }
    if (map.containsKey("phi")) {
      phiRules(source, asMap(source, "phi", map.get("phi")), base);
    }
    if (map.containsKey("content")) {
      contentRules(source, asMap(source, "content", map.get("content")));
    }
  }

  private void phiRules(Source source, Map<String, Object> rows, boolean base) {
    if (rows == null) {
      return;
    }
    Map<Destination, Decision> defaultRow = null;
    if (rows.containsKey(DEFAULT_ROW)) {
      if (!base) {
        problems.add(source.name() + ": phi.default: only the base pack may set defaults; name the categories");
      } else {
        defaultRow = row(source, "phi.default", rows.get(DEFAULT_ROW));
      }
    }
    if (defaultRow != null) {
      for (PhiCategory c : PhiCategory.values()) {
        phi.computeIfAbsent(c, k -> new EnumMap<>(Destination.class)).putAll(defaultRow);
      }
    }
    for (Map.Entry<String, Object> e : rows.entrySet()) {
      if (e.getKey().equals(DEFAULT_ROW)) {
        continue;
      }
      PhiCategory category = enumValue(PhiCategory.class, e.getKey());
      if (category == null) {
        problems.add(source.name() + ": phi." + e.getKey() + ": unknown PHI category (expected one of "
            + List.of(PhiCategory.values()) + ")");
        continue;
      }
      Map<Destination, Decision> row = row(source, "phi." + e.getKey(), e.getValue());
      if (row != null) {
        phi.computeIfAbsent(category, k -> new EnumMap<>(Destination.class)).putAll(row);
      }
    }
  }

  private Map<Destination, Decision> row(Source source, String path, Object value) {
    Map<String, Object> map = asMap(source, path, value);
    if (map == null) {
      return null;
    }
    Map<Destination, Decision> row = new EnumMap<>(Destination.class);
    for (Map.Entry<String, Object> e : map.entrySet()) {
      Destination d = enumValue(Destination.class, e.getKey());
      if (d == null) {
        problems.add(source.name() + ": " + path + "." + e.getKey() + ": unknown destination (expected one of "
            + List.of(Destination.values()) + ")");
        continue;
      }
      Decision decision = decision(source, path + "." + e.getKey(), e.getValue());
      if (decision != null) {
        row.put(d, decision);
      }
    }
    return row;
  }

  private static final Set<String> CONTENT_KEYS = Set.of("executable", "script", "forbiddenTypes", "encrypted",
      "typeMismatch", "suspiciousEntryNames", "scanIncomplete", "scannerUnavailable");

  private void contentRules(Source source, Map<String, Object> map) {
    if (map == null) {
      return;
    }
    for (Map.Entry<String, Object> e : map.entrySet()) {
      String path = "content." + e.getKey();
      if (!CONTENT_KEYS.contains(e.getKey())) {
        problems.add(source.name() + ": " + path + ": unknown key (expected one of " + sorted(CONTENT_KEYS) + ")");
      } else if (e.getKey().equals("forbiddenTypes")) {
        Map<String, Object> types = asMap(source, path, e.getValue());
        if (types != null) {
          types.forEach((type, v) -> {
            Decision d = decision(source, path + "." + type, v);
            if (d != null && !type.matches("[a-z0-9.+-]+/[a-z0-9.+-]+")) {
              problems.add(source.name() + ": " + path + "." + type + ": not a media type like application/x-foo");
            } else if (d != null) {
              forbiddenTypes.put(type, d);
            }
          });
        }
      } else {
        Decision d = decision(source, path, e.getValue());
        if (d == null) {
          continue;
        }
        if (e.getKey().equals("scanIncomplete") && d.compareTo(Decision.QUARANTINE) < 0) {
          problems.add(source.name() + ": " + path + ": content that was not fully scanned is never clean; "
              + "use QUARANTINE or BLOCK");
        } else if (e.getKey().equals("encrypted") && d.compareTo(Decision.QUARANTINE) < 0) {
          problems.add(source.name() + ": " + path + ": encrypted content could not be inspected; "
              + "use QUARANTINE or BLOCK");
        } else if (e.getKey().equals("scannerUnavailable") && d.compareTo(Decision.QUARANTINE) < 0) {
          problems.add(source.name() + ": " + path + ": without a malware scan content must be QUARANTINE or BLOCK");
        } else {
          content.put(e.getKey(), d);
        }
      }
    }
  }

  private Decision decision(Source source, String path, Object value) {
    Decision d = value instanceof String s ? enumValue(Decision.class, s) : null;
    if (d == null) {
      problems.add(source.name() + ": " + path + ": unknown decision " + describe(value) + " (expected one of "
          + List.of(Decision.values()) + ")");
    }
    return d;
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> asMap(Source source, String path, Object value) {
    if (value instanceof Map<?, ?> m && m.keySet().stream().allMatch(k -> k instanceof String)) {
      return (Map<String, Object>) m;
    }
    problems.add(source.name() + ": " + (path.isEmpty() ? "(document)" : path) + ": expected a mapping of names");
    return null;
  }

  private RulePack build() throws RulePackException {
    for (PhiCategory c : PhiCategory.values()) {
      Map<Destination, Decision> row = phi.get(c);
      for (Destination d : Destination.values()) {
        if (row == null || !row.containsKey(d)) {
          problems.add("phi." + c + "." + d + ": no decision (set it, or phi.default in the base pack)");
        }
      }
    }
    for (String key : CONTENT_KEYS) {
      if (!key.equals("forbiddenTypes") && !content.containsKey(key)) {
        problems.add("content." + key + ": no decision");
      }
    }
    if (!problems.isEmpty()) {
      throw new RulePackException(problems);
    }
    ContentRules rules = new ContentRules(content.get("executable"), content.get("script"), forbiddenTypes,
        content.get("encrypted"), content.get("typeMismatch"), content.get("suspiciousEntryNames"),
        content.get("scanIncomplete"), content.get("scannerUnavailable"));
    return new RulePack(String.join("+", names), minConfidence == null ? 0.5 : minConfidence, phi, rules);
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String name) {
    try {
      return Enum.valueOf(type, name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String describe(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : value == null ? "(empty)" : "of type "
        + value.getClass().getSimpleName();
  }

  private static List<String> sorted(Set<String> keys) {
    return keys.stream().sorted().toList();
  }
}
