package org.wardline.dlp.detect.legacy;

import org.wardline.dlp.detect.Finding;
import org.wardline.dlp.detect.PhiCategory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** Web addresses starting with a scheme (http, https, ftp) or "www.". */
public final class UrlDetector implements PhiDetector {

  private static final Pattern URL = Pattern.compile(
      "(?i)(?<![\\w@])(?:(?:https?|ftp)://|www\\.)[^\\s<>\"'()\\[\\]{}]{2,2048}");
  private static final String TRAILING = ".,;:!?";

  @Override
  public String name() {
    return "url";
  }

  @Override
  public PhiCategory category() {
    return PhiCategory.URL;
  }

  @Override
  public void detect(ScanText text, Consumer<Finding> out) {
    String t = text.text();
    int[] starts = candidateStarts(t);
    if (starts.length == 0) {
      return;
    }
    text.findIn(starts, URL, m -> {
      int end = m.end();
      while (end > m.start() && TRAILING.indexOf(t.charAt(end - 1)) >= 0) {
        end--;
      }
      out.accept(finding(m.start(), end, 0.95));
    });
  }

  /** Regions beginning a little before each "://" or "www." so the regex never scans plain prose. */
  private static int[] candidateStarts(String t) {
    List<int[]> spans = new ArrayList<>();
    addAll(t, "://", 8, spans);
    addAllIgnoreCase(t, "www.", spans);
    spans.sort((a, b) -> Integer.compare(a[0], b[0]));
    int[] out = new int[spans.size() * 2];
    int n = 0;
    for (int[] s : spans) {
      if (n > 0 && s[0] <= out[n - 1]) {
        out[n - 1] = Math.max(out[n - 1], s[1]);
      } else {
        out[n++] = s[0];
        out[n++] = s[1];
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static void addAll(String t, String marker, int back, List<int[]> spans) {
    for (int i = t.indexOf(marker); i >= 0; i = t.indexOf(marker, i + 1)) {
      spans.add(new int[] {Math.max(0, i - back), Math.min(t.length(), i + 2100)});
    }
  }

  /** Lower-case and upper-case occurrences (mixed case such as "Www." is rare enough to skip). */
  private static void addAllIgnoreCase(String t, String marker, List<int[]> spans) {
    for (String m : new String[] {marker.toLowerCase(java.util.Locale.ROOT), marker.toUpperCase(java.util.Locale.ROOT)}) {
      for (int i = t.indexOf(m); i >= 0; i = t.indexOf(m, i + m.length())) {
        spans.add(new int[] {i, Math.min(t.length(), i + 2100)});
      }
    }
  }
}
