package org.wardline.dlp.detect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What a word of clinical writing is, looked up once: an everyday English word, a clinical word or
 * abbreviation, a dictionary first or last name, a US place, a hospital word, a cue (title, relation,
 * credential, place cue). The lists ship as resources ({@code dict/}, sources and licences in
 * {@code dict/NOTICE.md}). Immutable and thread-safe; build one and share it.
 */
public final class ClinicalLexicon {

  static final int FIRST = NameDictionary.FIRST;
  static final int LAST = NameDictionary.LAST;
  /** A name that is also an everyday word (name-stopwords.txt). */
  static final int NAME_COMMON = NameDictionary.COMMON;
  static final int ENGLISH = 1 << 3;
  static final int CLINICAL = 1 << 4;
  static final int FUNCTION = 1 << 5;
  static final int PLACE = 1 << 6;
  static final int PLACE_START = 1 << 7;
  static final int INSTITUTION = 1 << 8;
  static final int TITLE = 1 << 9;
  static final int RELATION = 1 << 10;
  static final int CREDENTIAL = 1 << 11;
  /** "lives in", "transferred to": the next name-like word is a place. */
  static final int PLACE_CUE = 1 << 12;
  /** "aware", "notified": after a title these are not a name ("DR AWARE"). */
  static final int NOT_A_NAME = 1 << 13;
  static final int WEEKDAY_OR_MONTH = 1 << 14;
  /** "called", "spoke": the next name-like word is a person. */
  static final int CONTACT_VERB = 1 << 15;
  /** A later word of a multi-word US place ("diego" of "san diego"). */
  static final int PLACE_NEXT = 1 << 16;

  /** A word that starts one of {@link LocationDetector}'s rules (a move verb, a saint, a place suffix...). */
  static final int LOCATION_CUE = 1 << 17;
  /** Not a word's flag but a token's: {@link LexTokens} sets it on a token joined by a hyphen. */
  static final int HYPHENATED = 1 << 18;

  private static final String DICT = "dict/";

  private final WordTable table;
  private final Set<String> multiWordPlaces;

  private ClinicalLexicon(Map<String, Integer> flags, Set<String> multiWordPlaces) {
    this.table = new WordTable(flags);
    this.multiWordPlaces = Set.copyOf(multiWordPlaces);
  }

  /** The bundled lists and the given name dictionary's names. */
  public static ClinicalLexicon standard(NameDictionary names) {
    Map<String, Integer> flags = new HashMap<>();
    readWords("english-common.txt", w -> add(flags, w, ENGLISH));
    readWords("clinical-words.txt", w -> add(flags, w, CLINICAL));
    Set<String> multi = new HashSet<>();
    readLines("us-places.txt", line -> {
      String[] parts = line.split("[ -]");
      if (parts.length == 1) {
        add(flags, line, PLACE);
      } else {
        add(flags, parts[0], PLACE_START);
        for (int k = 1; k < parts.length; k++) {
          add(flags, parts[k], PLACE_NEXT);
        }
        multi.add(String.join(" ", parts));
      }
    });
    names.forEachWord((w, f) -> add(flags, w, f & (FIRST | LAST | NAME_COMMON)));
    readWords("us-surnames.txt", w -> add(flags, w, LAST));
    FUNCTION_WORDS.forEach(w -> add(flags, w, FUNCTION));
    List.of("hospital", "hosp", "hospitals", "clinic", "hospice", "infirmary", "rehab", "rehabilitation", "mc",
        "medical", "center", "centre", "ctr", "nursing", "home", "manor", "campus", "healthcare", "memorial",
        "sanitarium", "institute", "va", "vamc", "agency").forEach(w -> add(flags, w, INSTITUTION));
    List.of("dr", "drs", "mr", "mrs", "ms", "miss", "doctor", "dr's").forEach(w -> add(flags, w, TITLE));
    List.of("husband", "wife", "daughter", "daughters", "son", "sons", "mother", "father", "mom", "dad", "brother",
        "brothers", "sister", "sisters", "spouse", "niece", "nephew", "grandson", "granddaughter", "grandmother",
        "grandfather", "aunt", "uncle", "friend", "neighbor", "neighbour", "guardian", "boyfriend", "girlfriend",
        "fiance", "fiancee", "stepson", "stepdaughter", "cousin", "dtr", "dtrs", "hus", "bro", "sis", "hcp", "poa",
        "proxy", "nephews", "nieces", "grandchildren", "partner", "companion", "sibling", "siblings", "inlaw",
        "lawyer", "attorney", "caregiver", "wifes", "husbands", "granddaughters", "grandsons", "stepmother",
        "stepfather", "godmother", "godfather", "roommate", "landlord", "employer", "pastor", "priest", "rabbi")
        .forEach(w -> add(flags, w, RELATION));
    List.of("md", "rn", "np", "lpn", "cna", "aprn", "dnp", "crna", "pharmd", "rph", "dds", "phd", "facs", "rrt",
        "crt", "licsw", "msw", "lcsw", "bsn", "msn", "ccrn", "mbbs", "rnc", "pa", "pa-c", "fnp", "acnp", "nnp", "cnm",
        "slp", "otr", "dpm", "lsw", "lmsw", "mph")
        .forEach(w -> add(flags, w, CREDENTIAL));
    List.of("in", "to", "from", "at").forEach(w -> add(flags, w, PLACE_CUE));
    LocationDetector.cueWords().forEach(w -> add(flags, w, LOCATION_CUE));
    List.of("aware", "notified", "informed", "paged", "called", "updated", "here", "present", "made", "ordered",
        "orders", "order", "office", "service", "team", "note", "notes", "consult", "consulted", "recommends",
        "recs", "wants", "feels", "states", "stated", "said", "says", "spoke", "talked", "in", "at", "on", "was",
        "is", "will", "would", "to", "and", "or", "the", "of", "re", "following", "who", "with", "by", "came",
        "saw", "seen", "also", "came", "visited", "visit", "plan", "same", "regarding", "about", "for", "well",
        "per", "ok", "okay", "aware.", "unaware", "has", "had", "have", "did", "does", "gave", "into", "out",
        "up", "back", "team's", "s", "see", "please").forEach(w -> add(flags, w, NOT_A_NAME));
    List.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tues", "wed",
        "thurs", "fri", "sat", "sun", "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december", "christmas", "easter", "thanksgiving", "god", "jesus",
        "english", "spanish", "american", "african", "english-speaking", "catholic", "jewish", "muslim",
        "christian", "hispanic", "latino", "asian", "russian", "chinese", "italian", "haitian", "portuguese",
        "creole", "french", "greek", "german", "polish", "korean", "vietnamese", "caucasian", "alabama", "alaska",
        "arizona", "arkansas", "california", "colorado", "connecticut", "delaware", "florida", "georgia", "hawaii",
        "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky", "louisiana", "maine", "maryland", "massachusetts",
        "michigan", "minnesota", "mississippi", "missouri", "montana", "nebraska", "nevada", "hampshire", "jersey",
        "mexico", "ohio", "oklahoma", "oregon", "pennsylvania", "rhode", "carolina", "dakota", "tennessee", "texas",
        "utah", "vermont", "virginia", "washington", "wisconsin", "wyoming")
        .forEach(w -> add(flags, w, WEEKDAY_OR_MONTH));
    countries().forEach(c -> {
      if ((flags.getOrDefault(c, 0) & (FIRST | PLACE)) == 0) {
        add(flags, c, WEEKDAY_OR_MONTH); // "going to Bermuda": not Safe Harbor PHI; first names, US towns stay
      }
    });
    List.of("called", "spoke", "talked", "spoken", "phoned", "paged", "met", "discussed", "updated", "informed",
        "notified", "contacted").forEach(w -> add(flags, w, CONTACT_VERB));
    return new ClinicalLexicon(flags, multi);
  }

  /** Short words that join other words; never a name or place. */
  private static final List<String> FUNCTION_WORDS = List.of("a", "an", "the", "and", "or", "but", "nor", "of",
      "to", "in", "on", "at", "by", "for", "from", "with", "w", "without", "into", "onto", "over", "under", "as",
      "is", "was", "are", "were", "be", "been", "being", "am", "has", "had", "have", "do", "does", "did", "not",
      "no", "yes", "he", "she", "it", "they", "we", "i", "you", "him", "her", "his", "hers", "its", "their",
      "them", "our", "us", "me", "my", "your", "this", "that", "these", "those", "there", "here", "then", "than",
      "so", "if", "when", "while", "after", "before", "until", "since", "per", "via", "re", "s", "x", "q", "c",
      "p", "s/p", "who", "whom", "which", "what", "where", "why", "how", "all", "any", "some", "each", "both",
      "will", "would", "can", "could", "should", "may", "might", "must", "shall", "also", "just", "only", "very",
      "up", "down", "out", "off", "again", "further", "once", "about", "between", "through", "during", "above",
      "below", "around", "because", "due", "pt", "pts");

  private static void add(Map<String, Integer> flags, String word, int flag) {
    if (!word.isEmpty() && flag != 0) {
      flags.merge(word.toLowerCase(Locale.ROOT), flag, (a, b) -> a | b);
    }
  }

  int flags(CharSequence text, int start, int end) {
    return table.flags(text, start, end);
  }

  int flags(CharSequence text, int start, int end, long hash) {
    return table.flags(text, start, end, hash);
  }

  /**
   * True when the word is one typing slip (a letter dropped, added, changed or two swapped) from an everyday or
   * clinical word of 4+ letters: "commonde", "camode", "MCIU", "micua". Only for words a cue already made a
   * candidate; it builds a few hundred strings.
   */
  boolean nearEveryday(CharSequence text, int start, int end) {
    String w = text.subSequence(start, end).toString().toLowerCase(Locale.ROOT);
    int n = w.length();
    if (n < 4 || n > 20) {
      return false;
    }
    StringBuilder b = new StringBuilder(n + 1);
    for (int k = 0; k < n; k++) {
      b.setLength(0);
      b.append(w, 0, k).append(w, k + 1, n);
      if (n - 1 >= 4 && everyday(b)) {
        return true; // one letter added
      }
      if (k + 1 < n) {
        b.setLength(0);
        b.append(w, 0, k).append(w.charAt(k + 1)).append(w.charAt(k)).append(w, k + 2, n);
        if (everyday(b)) {
          return true; // two letters swapped
        }
      }
      for (char c = 'a'; c <= 'z'; c++) {
        if (c != w.charAt(k)) {
          b.setLength(0);
          b.append(w, 0, k).append(c).append(w, k + 1, n);
          if (everyday(b)) {
            return true; // one letter changed
          }
        }
      }
    }
    for (int k = 0; k <= n; k++) {
      for (char c = 'a'; c <= 'z'; c++) {
        b.setLength(0);
        b.append(w, 0, k).append(c).append(w, k, n);
        if (everyday(b)) {
          return true; // one letter dropped
        }
      }
    }
    return false;
  }

  private boolean everyday(CharSequence word) {
    int f = table.flags(word, 0, word.length());
    return (f & (CLINICAL | ENGLISH)) != 0 && (f & (FIRST | LAST | PLACE)) == 0;
  }

  /** True when "w1 w2" or "w1 w2 w3" (lower-cased, single spaces) is a multi-word US place. */
  boolean isMultiWordPlace(String phrase) {
    return multiWordPlaces.contains(phrase);
  }

  /** One-word country names, lower-cased, from datafaker's {@code en/address.yml} (Apache-2.0). */
  @SuppressWarnings("unchecked")
  static List<String> countries() {
    try (InputStream in = ClinicalLexicon.class.getResourceAsStream("/en/address.yml")) {
      if (in == null) {
        throw new IllegalStateException("country list not on the class path: /en/address.yml");
      }
      Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      Map<String, Object> address = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) root.get("en"))
          .get("faker")).get("address");
      if (!(address.get("country") instanceof List<?> list)) {
        throw new IllegalStateException("country list missing in /en/address.yml");
      }
      return list.stream().map(String::valueOf).filter(c -> c.matches("[A-Za-z]+"))
          .map(c -> c.toLowerCase(Locale.ROOT)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void readWords(String resource, Consumer<String> each) {
    readLines(resource, line -> {
      for (String w : line.split("\\s+")) {
        if (!w.isEmpty()) {
          each.accept(w);
        }
      }
    });
  }

  private static void readLines(String resource, Consumer<String> each) {
    try (InputStream in = ClinicalLexicon.class.getResourceAsStream(DICT + resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + DICT + resource);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String l = line.strip();
        if (!l.isEmpty() && !l.startsWith("#")) {
          each.accept(l.toLowerCase(Locale.ROOT));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
