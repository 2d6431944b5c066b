package org.wardline.dlp.bench;

/**
 * Text made to be slow to scan: long stretches of one motif each, aimed at the detectors' regexes and
 * loops (separators that almost form numbers, house numbers before endless street words, city names that
 * never reach a state, titles before initials, cues before cues, schemes without ends, '@' and ':' runs).
 * A scanner whose work grows faster than the text on it can be made to stall by an upload.
 */
public final class HostileText {

  private static final String[] MOTIFS = {
    "1-2-3-4-5-6-7-8-9-0-",
    "123-45-678 123 45 678 (555) 55-555 1.1.1.1.1.1.1.",
    "1 2 3 4 5 6 7 8 9 10 11 12 ",
    "12 Oak Oak Oak Oak Oak Oak Oak Oak ",
    "12 N Oak St, Springfield Springfield Springfield Springfield, Apt Apt Apt ",
    "12 Oak Ridge Road Road Road St St St Ave Blvd, Apt #, Suite ",
    "Mr. A. B. C. D. E. F. Dr. Mrs. Ms. pt wife, son, ",
    "JOHN MARY SMITH BROWN LEE KIM JOHNSON'S O'BRIEN MD RN NP ",
    "age: age: age: 99 aged 1 ages 999 99 y 99-y 99 - - - y/o ",
    "http://http://www.www.https://ftp://",
    "a@a@a@.a.a.a.a.@@@-.-.-@",
    "a:a:a:a:a:a:a:a:a:::::1:2:3:fe80::",
    "Jan Jan Jan 1 Jan 2, Jan 3rd of Jan 12-Jan-12 May may MAR ",
    "MRN MRN MR# acct acct member id policy # 12345 12345 A1234 ",
    "99999999999999999999999999999999999999",
    "4111 1111 1111 1111 1111 1111 1111 ",
    "7/10 7/10/ 7/10/1 07/22/1992/ 1992-07-22-07-22 ",
  };

  private HostileText() {}

  /** {@code chars} of text: each motif repeated for {@code stretch} chars, then the next, round and round. */
  public static String of(int chars, int stretch) {
    StringBuilder b = new StringBuilder(chars + 128);
    int m = 0;
    while (b.length() < chars) {
      String motif = MOTIFS[m++ % MOTIFS.length];
      int end = Math.min(chars, b.length() + stretch);
      while (b.length() < end) {
        b.append(motif);
      }
      b.append('\n');
    }
    b.setLength(chars);
    return b.toString();
  }

  /** Every motif alone, repeated to {@code chars}. */
  public static String[] motifs(int chars) {
    String[] out = new String[MOTIFS.length];
    for (int i = 0; i < MOTIFS.length; i++) {
      out[i] = MOTIFS[i].repeat(chars / MOTIFS[i].length() + 1).substring(0, chars);
    }
    return out;
  }
}
