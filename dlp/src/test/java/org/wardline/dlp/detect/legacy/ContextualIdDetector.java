package org.wardline.dlp.detect.legacy;

import org.wardline.dlp.detect.Finding;
import org.wardline.dlp.detect.PhiCategory;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Identifiers that have no checksum and only mean something in context (record, account and member
 * numbers): a configurable pattern that counts only when one of the context words appears shortly before
 * it. Organisations configure their own patterns; {@link #mrn()}, {@link #accountNumber()} and
 * {@link #healthPlanId()} give defaults.
 */
public class ContextualIdDetector implements PhiDetector {

  /** Longest gap, in chars, allowed between a context word and the identifier. */
  public static final int MAX_WINDOW = 64;

  private final String name;
  private final PhiCategory category;
  private final Pattern pattern;
  private final String[] contextWords;
  private final WordTable firstWords;
  private final int window;
  private final double confidence;

  /**
   * @param pattern the identifier itself; it must contain at least one digit to be found
   * @param contextWords case-insensitive cue words, at least one must start within {@code window} chars
   *     before the identifier
   */
  public ContextualIdDetector(
      String name, PhiCategory category, Pattern pattern, List<String> contextWords, int window, double confidence) {
    this.name = Objects.requireNonNull(name);
    this.category = Objects.requireNonNull(category);
    this.pattern = Objects.requireNonNull(pattern);
    this.contextWords = contextWords.stream().map(w -> w.toLowerCase(Locale.ROOT)).toArray(String[]::new);
    if (this.contextWords.length == 0) {
      throw new IllegalArgumentException("a contextual identifier needs at least one context word");
    }
    if (window <= 0 || window > MAX_WINDOW) {
      throw new IllegalArgumentException("context window must be in 1.." + MAX_WINDOW);
    }
    this.firstWords = WordTable.of(java.util.Arrays.stream(this.contextWords).map(ContextualIdDetector::leadingLetters)
        .filter(w -> !w.isEmpty()).toList());
    if (java.util.Arrays.stream(this.contextWords).anyMatch(w -> leadingLetters(w).isEmpty())) {
      throw new IllegalArgumentException("context words must start with a letter");
    }
    this.window = window;
    this.confidence = confidence;
  }

  /** Medical record numbers: 5-12 characters, mostly digits, after MRN / medical record / chart cues. */
  public static ContextualIdDetector mrn() {
    return new ContextualIdDetector("mrn", PhiCategory.MRN,
        Pattern.compile("(?<![\\w-])(?=[A-Za-z]{0,3}\\d)[A-Za-z]{0,3}-?\\d{5,12}(?![\\w-])"),
        List.of("mrn", "mr#", "mr #", "mr no", "medical record", "med rec", "med. rec", "record #", "record no",
            "record number", "chart #", "chart no", "chart number", "unit no", "unit #", "hosp #", "hospital #",
            "pt id", "patient id"),
        30, 0.9);
  }

  /** Account and encounter numbers after billing cues. */
  public static ContextualIdDetector accountNumber() {
    return new ContextualIdDetector("account-number", PhiCategory.ACCOUNT_NUMBER,
        Pattern.compile("(?<![\\w-])(?=[A-Za-z]{0,3}\\d)[A-Za-z]{0,3}-?\\d{5,14}(?![\\w-])"),
        List.of("acct", "account", "acc #", "acc no", "billing", "fin", "fin#", "encounter", "enc #", "enc no",
            "visit #", "visit no", "har", "invoice", "claim #", "claim no", "claim number"),
        30, 0.9);
  }

  /** Health-plan, member, subscriber and policy identifiers after insurance cues. */
  public static ContextualIdDetector healthPlanId() {
    return new ContextualIdDetector("health-plan-id", PhiCategory.HEALTH_PLAN_ID,
        Pattern.compile("(?<![\\w-])(?=[A-Za-z0-9-]{0,20}\\d)[A-Za-z]{0,4}[A-Za-z0-9]{0,3}-?\\d{4,14}[A-Za-z0-9]{0,3}(?![\\w-])"),
        List.of("member id", "member #", "member no", "member number", "mbr id", "mbr #", "subscriber", "sub id",
            "policy", "policy #", "insurance id", "ins id", "ins #", "plan id", "health plan", "group #",
            "group no", "grp #", "medicaid", "bcbs", "aetna", "cigna", "humana", "united", "uhc", "kaiser",
            "insurance", "ins."),
        40, 0.88);
  }

  private static String leadingLetters(String w) {
    int i = 0;
    while (i < w.length() && Character.isLetter(w.charAt(i))) {
      i++;
    }
    return w.substring(0, i);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public PhiCategory category() {
    return category;
  }

  @Override
  public void detect(ScanText text, Consumer<Finding> out) {
    // cues are rare: find them first, then try the pattern only on identifier tokens just after one
    String t = text.text();
    int[] words = text.wordBounds();
    int[] ids = text.idTokenStarts();
    java.util.TreeMap<Integer, Integer> distanceByStart = new java.util.TreeMap<>();
    for (int w = 0; w < words.length; w += 2) {
      int ws = words[w];
      if (!firstWords.contains(t, ws, words[w + 1]) || (ws > 0 && Character.isLetterOrDigit(t.charAt(ws - 1)))) {
        continue;
      }
      int cueEnd = -1;
      for (String cue : contextWords) {
        int end = ws + cue.length();
        if (end > cueEnd && t.regionMatches(true, ws, cue, 0, cue.length())
            && (!Character.isLetter(cue.charAt(cue.length() - 1)) || end >= t.length() || !Character.isLetter(t.charAt(end)))) {
          cueEnd = end;
        }
      }
      if (cueEnd < 0) {
        continue;
      }
      int k = java.util.Arrays.binarySearch(ids, cueEnd);
      for (k = k < 0 ? -k - 1 : k; k < ids.length && ids[k] - cueEnd <= window; k++) {
        // later cues are nearer, so they overwrite
        distanceByStart.put(ids[k], ids[k] - cueEnd);
      }
    }
    int[] starts = distanceByStart.keySet().stream().mapToInt(Integer::intValue).toArray();
    text.matchAt(starts, starts.length, pattern, m -> {
      int distance = distanceByStart.get(m.start());
      // the nearest cue wins when two labels precede one number ("MRN 123456 acct 654321")
      out.accept(finding(m.start(), m.end(), Math.max(0.5, confidence - 0.002 * distance)));
    });
  }
}
