package org.wardline.dlp.detect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * First and last names, lower-cased. The default dictionary is read from the name lists datafaker ships
 * (Apache-2.0, {@code en/name.yml}), minus names that are also common words (resource
 * {@code name-stopwords.txt}), which count only with a cue.
 */
public final class NameDictionary {

  private static final String DATAFAKER_NAMES = "/en/name.yml";
  private static final String STOPWORDS = "name-stopwords.txt";

  static final int FIRST = 1;
  static final int LAST = 2;
  static final int COMMON = 4;

  private final Map<String, Integer> flagsByWord;
  private final WordTable table;

  public NameDictionary(Set<String> firstNames, Set<String> lastNames, Set<String> stopWords) {
    java.util.Map<String, Integer> flags = new java.util.HashMap<>();
    lower(firstNames).forEach(w -> flags.merge(w, FIRST, (a, b) -> a | b));
    lower(lastNames).forEach(w -> flags.merge(w, LAST, (a, b) -> a | b));
    lower(stopWords).forEach(w -> flags.merge(w, COMMON, (a, b) -> a | b));
    this.flagsByWord = Map.copyOf(flags);
    this.table = new WordTable(flags);
  }

  /**
   * One table holding these names' flags and {@code extra}'s flags shifted left by {@code shift} bits, so a
   * caller that needs both looks a word up once.
   */
  WordTable mergedWith(Map<String, Integer> extra, int shift) {
    java.util.Map<String, Integer> merged = new java.util.HashMap<>(flagsByWord);
    extra.forEach((w, f) -> merged.merge(w.toLowerCase(Locale.ROOT), f << shift, (a, b) -> a | b));
    return new WordTable(merged);
  }

  /** Every word with its {@link #FIRST}, {@link #LAST} and {@link #COMMON} flags. */
  void forEachWord(java.util.function.BiConsumer<String, Integer> each) {
    flagsByWord.forEach(each);
  }

  /** {@link #FIRST}, {@link #LAST} and {@link #COMMON} flags of {@code text[start, end)}, ignoring case. */
  int flags(CharSequence text, int start, int end) {
    return table.flags(text, start, end);
  }

  /** The bundled dictionary; loads once per call, so keep the result. */
  public static NameDictionary standard() {
    Map<String, Object> names = datafakerNames();
    Set<String> first = new HashSet<>();
    first.addAll(stringList(names, "male_first_name"));
    first.addAll(stringList(names, "female_first_name"));
    Set<String> last = new HashSet<>(stringList(names, "last_name"));
    return new NameDictionary(first, last, readStopWords());
  }

  public boolean isFirstName(String word) {
    return (flags(word, 0, word.length()) & FIRST) != 0;
  }

  public boolean isLastName(String word) {
    return (flags(word, 0, word.length()) & LAST) != 0;
  }

  /** A name that is also an everyday word ("Will", "Rose", "Brown"). */
  public boolean isCommonWord(String word) {
    return (flags(word, 0, word.length()) & COMMON) != 0;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> datafakerNames() {
    try (InputStream in = NameDictionary.class.getResourceAsStream(DATAFAKER_NAMES)) {
      if (in == null) {
        throw new IllegalStateException("name lists not on the class path: " + DATAFAKER_NAMES);
      }
      Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      Map<String, Object> en = (Map<String, Object>) root.get("en");
      Map<String, Object> faker = (Map<String, Object>) en.get("faker");
      return (Map<String, Object>) faker.get("name");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> stringList(Map<String, Object> map, String key) {
    Object v = map.get(key);
    if (!(v instanceof List<?> list)) {
      throw new IllegalStateException("name list missing: " + key);
    }
    return list.stream().map(String::valueOf).filter(s -> !s.startsWith("#{")).toList();
  }

  private static Set<String> readStopWords() {
    Set<String> out = new HashSet<>();
    try (InputStream in = NameDictionary.class.getResourceAsStream(STOPWORDS)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + STOPWORDS);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String w = line.strip();
        if (!w.isEmpty() && !w.startsWith("#")) {
          out.add(w);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> lower(Set<String> words) {
    Set<String> out = new HashSet<>(words.size() * 2);
    for (String w : words) {
      out.add(w.toLowerCase(Locale.ROOT));
    }
    return Set.copyOf(out);
  }
}
