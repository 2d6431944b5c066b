package org.wardline.dlp.detect;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Hospitals, clinics, towns and cities in clinical writing: a name before a hospital word ("CALVERT
 * HOSPITAL", "kernan hosp", "Holy Cross Medical Center"), a US place from the GeoNames list ("lives in
 * catonsville", "San Diego"), a name after a transfer or residence cue ("transferred to quartermain", "ADM TO
 * GH"), and every later mention in the note of a hospital name found so.
 */
public final class LocationDetector implements PhiDetector {

  private static final int NEVER_PLACE = ClinicalLexicon.FUNCTION | ClinicalLexicon.CLINICAL
      | ClinicalLexicon.NOT_A_NAME | ClinicalLexicon.WEEKDAY_OR_MONTH | ClinicalLexicon.TITLE
      | ClinicalLexicon.RELATION | ClinicalLexicon.CREDENTIAL;
  /** The flags a rule of {@link #detect} starts from; a word without them starts one only if it is an odd word. */
  private static final int STARTS_A_RULE = ClinicalLexicon.INSTITUTION | ClinicalLexicon.PLACE
      | ClinicalLexicon.PLACE_START | ClinicalLexicon.PLACE_CUE | ClinicalLexicon.LOCATION_CUE
      | ClinicalLexicon.HYPHENATED;
  /** Words before "to/from/in/at" that make the next name a place. */
  static final List<String> MOVE_VERBS_WORDS = List.of("lives", "live", "living", "lived", "resides",
      "reside", "residing", "transferred", "transfered", "transfer", "trans", "xfer", "admitted", "adm", "taken",
      "went", "sent", "flighted", "flown", "returned", "discharged", "moved", "followed", "seen", "transported",
      "brought", "referred", "came", "arrived", "presented", "born", "raised", "works", "worked", "visiting",
      "transferring", "admission", "admit", "tx", "txf", "transf", "back", "d/c", "dc", "go", "going", "goes",
      "gone", "transplant", "transplanted", "surgery", "surgeon", "surgeons", "meeting", "arrival", "appointment",
      "appt", "vacation", "treated", "hospitalized", "hospitalised", "stayed", "evaluated", "followup", "f/u");
  private static final WordTable MOVE_VERBS = WordTable.of(MOVE_VERBS_WORDS);
  /** Words after a name that make it a place or a part of one ("Eastern Shore", "North Campus"). */
  static final List<String> PLACE_SUFFIX_WORDS = List.of("shore", "county", "island", "beach",
      "campus", "house", "valley", "heights");
  private static final WordTable PLACE_SUFFIX = WordTable.of(PLACE_SUFFIX_WORDS);
  /** "St. Agnes", "Saint Joseph's", "Holy Cross": a saint's or holy name is a hospital's. */
  static final List<String> SAINT_WORDS = List.of("st", "saint", "holy", "ste");
  private static final WordTable SAINT = WordTable.of(SAINT_WORDS);
  private static final WordTable WEAK_INSTITUTION = WordTable.of(List.of("medical", "center", "centre", "ctr",
      "nursing", "home", "memorial", "campus", "institute", "healthcare", "agency"));

  /** Rules of their own class; the older rules are still methods below. */
  private static final List<LocationRule> RULES = List.of(new StaffOfOrganisationRule(), new UniversityOfStateRule(),
      new TownAfterInstitutionRule());

  /** Every word that starts a rule of this detector, flagged once in the lexicon. */
  static List<String> cueWords() {
    List<String> all = new java.util.ArrayList<>();
    for (List<String> l : List.of(MOVE_VERBS_WORDS, PLACE_SUFFIX_WORDS, SAINT_WORDS, EMPLOYED_WORDS, WARD_CUES_WORDS)) {
      all.addAll(l);
    }
    RULES.forEach(r -> all.addAll(r.cueWords()));
    return all;
  }

  private final ClinicalLexicon lexicon;

  public LocationDetector(ClinicalLexicon lexicon) {
    this.lexicon = lexicon;
  }

  @Override
  public String name() {
    return "location";
  }

  @Override
  public PhiCategory category() {
    return PhiCategory.LOCATION;
  }

  @Override
  public void detect(ScanText scan, Consumer<Finding> out) {
    String t = scan.text();
    LexTokens tk = LexTokens.of(scan, lexicon);
    LearnedWords learned = new LearnedWords();
    boolean[] taken = new boolean[tk.count];
    LocationFindings found = new LocationFindings(out, taken, learned);
    for (int i = 0; i < tk.count; i++) {
      int f = tk.flags[i];
      if ((f & STARTS_A_RULE) == 0 && !oddWord(tk, i)) {
        continue; // most words: no flag that starts a rule, and the abbreviation rules need an odd word
      }
      if ((f & ClinicalLexicon.INSTITUTION) != 0) {
        institution(t, tk, i, out, taken, learned);
      }
      if ((f & (ClinicalLexicon.PLACE | ClinicalLexicon.PLACE_START)) != 0 && !taken[i]) {
        place(t, tk, i, out, taken);
      }
      if ((f & ClinicalLexicon.PLACE_CUE) != 0 && i + 1 < tk.count) {
        cued(t, tk, i, out, taken, learned, found);
      }
      if (!taken[i] && i + 1 < tk.count && oddWord(tk, i) && tk.length(i) <= 5 && tk.allCaps(t, i)
          && tk.spaced(t, i, i + 1, 1) && DEPARTMENTS.contains(t, tk.starts[i + 1], tk.ends[i + 1])
          && tk.allCaps(t, i + 1) && !followedByNumber(t, tk.ends[i + 1])) {
        out.accept(finding(tk.starts[i], tk.ends[i], 0.7)); // "-> GH EW", "CMC ER"
        taken[i] = true;
        learned.add(t, tk.starts[i], tk.ends[i]);
      }
      if (HospitalAbbreviationRule.shaped(t, tk, i)) {
        HospitalAbbreviationRule.at(t, tk, i, found);
      }
      if ((f & ClinicalLexicon.LOCATION_CUE) == 0) {
        if ((f & ClinicalLexicon.HYPHENATED) != 0 && i + 1 < tk.count && !taken[i + 1] && moveVerb(t, tk, i)) {
          unitAfterMove(t, tk, i + 1, out, taken, learned); // "med-flighted"
        }
        continue; // one flag test: most words start no rule below
      }
      for (LocationRule rule : RULES) {
        rule.at(t, tk, i, found);
      }
      if (i + 2 < tk.count && EMPLOYED.contains(t, tk.starts[i], tk.ends[i])
          && EMPLOYER_CUES.contains(t, tk.starts[i + 1], tk.ends[i + 1]) && tk.spaced(t, i, i + 1, 1)) {
        employer(t, tk, i + 2, out, taken, learned);
      }
      if (i + 1 < tk.count && !taken[i + 1] && SAINT.contains(t, tk.starts[i], tk.ends[i])) {
        saint(t, tk, i, out, taken, learned);
      }
      if (i > 0 && !taken[i - 1] && PLACE_SUFFIX.contains(t, tk.starts[i], tk.ends[i])) {
        beforeSuffix(t, tk, i, out, taken, learned);
      }
      if (i + 1 < tk.count && !taken[i + 1] && (moveVerb(t, tk, i) || WARD_CUES.contains(t, tk.starts[i], tk.ends[i]))) {
        unitAfterMove(t, tk, i + 1, out, taken, learned);
      }
    }
    if (learned.isEmpty()) {
      return;
    }
    for (int i = 0; i < tk.count; i++) {
      if (!taken[i] && (tk.flags[i] & NEVER_PLACE) == 0
          && learned.contains(t, tk, i)) {
        out.accept(finding(tk.starts[i], tk.ends[i], 0.75));
      }
    }
  }

  private void institution(String t, LexTokens tk, int k, Consumer<Finding> out, boolean[] taken,
      LearnedWords learned) {
    boolean weak = WEAK_INSTITUTION.contains(t, tk.starts[k], tk.ends[k]);
    // "at Union Memorial": a capitalised word and "memorial" after "at/to/from/in" name a hospital
    boolean cuedMemorial = weak && k > 1 && tk.capitalized(t, k) && tk.capitalized(t, k - 1)
        && tk.spaced(t, k - 1, k, 1) && tk.has(k - 2, ClinicalLexicon.PLACE_CUE) && tk.spaced(t, k - 2, k - 1, 1)
        && (tk.flags[k - 1] & NEVER_PLACE) == 0 && "memorial".equalsIgnoreCase(t.substring(tk.starts[k], tk.ends[k]));
    if (weak && !cuedMemorial && !(k > 0 && tk.has(k - 1, ClinicalLexicon.INSTITUTION) && tk.spaced(t, k - 1, k, 1))
        && !(k + 1 < tk.count && tk.has(k + 1, ClinicalLexicon.INSTITUTION) && tk.spaced(t, k, k + 1, 1))) {
      return; // "home", "center" alone are everyday words; "nursing home", "medical center" are not
    }
    int first = k;
    while (first > 0 && first > k - 4 && tk.spaced(t, first - 1, first, 1)
        && (tk.has(first - 1, ClinicalLexicon.INSTITUTION) || namePart(t, tk, first - 1))) {
      first--;
    }
    while (first < k && tk.has(first, ClinicalLexicon.INSTITUTION)) {
      first++;
    }
    if (first == k && k > 0 && "memorial".equalsIgnoreCase(t.substring(tk.starts[k - 1], tk.ends[k - 1]))
        && tk.spaced(t, k - 1, k, 1)) {
      first = k - 1; // "MEMORIAL HOSPITAL" is a name of its own
    }
    if (first == k && cuedMemorial) {
      first = k - 1;
    }
    if (first == k && !weak && stateBefore(t, tk, k)) {
      first = k - 1; // "MD Hospital": a state's postal code names the hospital, not a credential
    }
    if (first == k) {
      return;
    }
    int end = k;
    while (end + 1 < tk.count && tk.has(end + 1, ClinicalLexicon.INSTITUTION) && tk.spaced(t, end, end + 1, 1)) {
      end++;
    }
    out.accept(finding(tk.starts[first], tk.ends[end], 0.85));
    for (int j = first; j <= end; j++) {
      taken[j] = true;
      if (j < k && tk.length(j) >= 2 && (tk.flags[j] & ClinicalLexicon.ENGLISH) == 0) {
        learned.add(t, tk.starts[j], tk.ends[j]);
      }
    }
  }

  private static final WordTable STATE_CODES = WordTable.of(List.of("al", "ak", "az", "ar", "ca", "co", "ct", "de",
      "fl", "ga", "id", "il", "ia", "ks", "ky", "la", "md", "ma", "mi", "mn", "ms", "mo", "mt", "ne",
      "nv", "nh", "nj", "nm", "ny", "nc", "nd", "oh", "pa", "ri", "sc", "sd", "tn", "tx", "ut", "vt", "va",
      "wa", "wv", "wi", "wy"));

  /** "MD Hospital", "NH Hospital": two capitals that are a state's postal code, right before a capitalised hospital word. */
  private static boolean stateBefore(String t, LexTokens tk, int k) {
    int s = k - 1;
    return s >= 0 && tk.length(s) == 2 && tk.allCaps(t, s) && tk.capitalized(t, k) && !tk.allCaps(t, k)
        && tk.spaced(t, s, k, 1) && STATE_CODES.contains(t, tk.starts[s], tk.ends[s]);
  }

  /** A word that can be part of a hospital's name: capitalised in mixed-case text, or not an everyday word. */
  private static boolean namePart(String t, LexTokens tk, int j) {
    int f = tk.flags[j];
    if ((f & NEVER_PLACE) != 0) {
      return false;
    }
    if ((f & ClinicalLexicon.ENGLISH) == 0) {
      return tk.length(j) >= 2 || tk.capitalized(t, j);
    }
    return tk.capitalized(t, j) && !tk.allCaps(t, j);
  }

  private void place(String t, LexTokens tk, int i, Consumer<Finding> out, boolean[] taken) {
    int f = tk.flags[i];
    if ((f & ClinicalLexicon.PLACE_START) != 0 && tk.has(i + 1, ClinicalLexicon.PLACE_NEXT)) {
      for (int n = 2; n >= 1; n--) {
        int last = i + n;
        if (last >= tk.count) {
          continue;
        }
        StringBuilder phrase = new StringBuilder(t.substring(tk.starts[i], tk.ends[i]));
        boolean ok = true;
        for (int j = i + 1; j <= last && ok; j++) {
          ok = tk.spaced(t, j - 1, j, 1) || (t.charAt(tk.ends[j - 1]) == '-' && tk.starts[j] == tk.ends[j - 1] + 1);
          phrase.append(' ').append(t, tk.starts[j], tk.ends[j]);
        }
        if (ok && lexicon.isMultiWordPlace(phrase.toString().toLowerCase(Locale.ROOT))) {
          out.accept(finding(tk.starts[i], tk.ends[last], 0.8));
          for (int j = i; j <= last; j++) {
            taken[j] = true;
          }
          return;
        }
      }
    }
    if ((f & ClinicalLexicon.PLACE) != 0 && (f & (NEVER_PLACE | ClinicalLexicon.ENGLISH)) == 0 && tk.length(i) >= 4
        && !eponym(t, tk, i)) {
      int end = townEnd(t, tk, i);
      out.accept(finding(tk.starts[i], tk.ends[end], 0.7));
      for (int j = i; j <= end; j++) {
        taken[j] = true;
      }
    }
  }

  /** Second words of town names ("Elmford Mill", "Carver Falls", "Oak Heights"). */
  private static final WordTable TOWN_SUFFIX = WordTable.of(List.of("mill", "mills", "falls", "heights", "park",
      "springs", "city", "village", "township", "junction", "hills", "harbor", "harbour", "grove", "landing"));
  /** Nouns after a person's or place's name that make it an eponym: "wilson's disease", "anderson tubes". */
  private static final WordTable EPONYM_NOUNS = WordTable.of(List.of("disease", "diseases", "syndrome", "sign",
      "tube", "tubes", "catheter", "procedure", "test", "maneuver", "manoeuvre", "classification", "score",
      "scale", "criteria", "reflex", "position", "operation", "repair", "fracture", "ulcer", "palsy", "phenomenon"));

  /** The last token of a town named at i: i, or the next word when it is a town's second word written alike. */
  static int townEnd(String t, LexTokens tk, int i) {
    if (i + 1 < tk.count && tk.spaced(t, i, i + 1, 1) && TOWN_SUFFIX.contains(t, tk.starts[i + 1], tk.ends[i + 1])
        && tk.allCaps(t, i) == tk.allCaps(t, i + 1) && tk.capitalized(t, i) == tk.capitalized(t, i + 1)) {
      return i + 1; // "Elmford Mill", "CARVER FALLS"
    }
    return i;
  }

  /** The word is followed, after an optional 's, by a noun that makes it an eponym. */
  private static boolean eponym(String t, LexTokens tk, int i) {
    int n = i + 1;
    if (n >= tk.count || tk.starts[n] - tk.ends[i] > 3) {
      return false;
    }
    return EPONYM_NOUNS.contains(t, tk.starts[n], tk.ends[n]);
  }

  /** "transferred", and the last part of "med-flighted". */
  private static boolean moveVerb(String t, LexTokens tk, int j) {
    int s = tk.starts[j];
    int e = tk.ends[j];
    if (MOVE_VERBS.contains(t, s, e)) {
      return true;
    }
    for (int k = e - 2; k > s; k--) { // within the word only: a long text must stay linear
      if (t.charAt(k) == '-') {
        return MOVE_VERBS.contains(t, k + 1, e);
      }
    }
    return false;
  }

  /** " 104.2": a reading, so the word before was a measure ("TMAX ED 104.2"). */
  private static boolean followedByNumber(String t, int p) {
    return p + 1 < t.length() && t.charAt(p) == ' ' && Character.isDigit(t.charAt(p + 1));
  }

  /** "to 209 quartermain": a room number between the cue and the ward. */
  private static boolean roomNumberBetween(String t, LexTokens tk, int a, int b) {
    int s = tk.ends[a];
    int e = tk.starts[b];
    if (e - s < 3 || e - s > 6 || t.charAt(s) != ' ' || t.charAt(e - 1) != ' ') {
      return false;
    }
    for (int k = s + 1; k < e - 1; k++) {
      if (!Character.isDigit(t.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  /** A word that may be a name of its own: not an everyday, clinical or joining word, 2+ letters. */
  static boolean oddWord(LexTokens tk, int j) {
    return tk.length(j) >= 2 && (tk.flags[j] & (NEVER_PLACE | ClinicalLexicon.ENGLISH)) == 0;
  }

  /** A word written as a name: an odd word, or capitalised (not ALL CAPS) mixed-case writing. */
  private static boolean nameShaped(String t, LexTokens tk, int j) {
    return oddWord(tk, j) || (tk.capitalized(t, j) && !tk.allCaps(t, j) && tk.length(j) >= 3
        && (tk.flags[j] & NEVER_PLACE) == 0);
  }

  /**
   * "works for Kestrel Health", "HUSBAND CEO OF KCB", "retired from acme": an employer is named like a place
   * (the Safe Harbor list has no category of its own for it). Up to three words after the cue, at least one
   * of them a name: an odd word, a short ALL-CAPS abbreviation, or capitalised in mixed-case writing.
   */
  private void employer(String t, LexTokens tk, int x, Consumer<Finding> out, boolean[] taken, LearnedWords learned) {
    if (x >= tk.count || taken[x] || !tk.spaced(t, x - 1, x, 1)) {
      return;
    }
    int end = x - 1;
    boolean named = false;
    for (int j = x; j < tk.count && j < x + 3; j++) {
      if (j > x && !tk.spaced(t, j - 1, j, 1) || (tk.flags[j] & NEVER_PLACE) != 0) {
        break;
      }
      boolean caps = tk.allCaps(t, j);
      named |= oddWord(tk, j) || caps && tk.length(j) >= 2 && tk.length(j) <= 4
          && (tk.flags[j] & ClinicalLexicon.ENGLISH) == 0 || tk.capitalized(t, j) && !caps
          || j > x && ORGANISATION_WORDS.contains(t, tk.starts[j], tk.ends[j]); // "works for bramble health"
      end = j;
    }
    if (!named || end < x) {
      return;
    }
    out.accept(finding(tk.starts[x], tk.ends[end], 0.7));
    for (int j = x; j <= end; j++) {
      taken[j] = true;
      if (oddWord(tk, j)) {
        learned.add(t, tk.starts[j], tk.ends[j]);
      }
    }
  }

  static final List<String> EMPLOYED_WORDS = List.of("works", "worked", "working", "employed",
      "retired", "ceo", "president", "owner", "founder", "employee");
  private static final WordTable EMPLOYED = WordTable.of(EMPLOYED_WORDS);
  /** Words that end an organisation's name: the words before them are its name even when everyday words. */
  private static final WordTable ORGANISATION_WORDS = WordTable.of(List.of("health", "healthcare", "systems",
      "bank", "group", "inc", "corp", "corporation", "company", "associates", "services", "university", "college",
      "partners", "industries", "insurance", "foods", "motors", "airlines", "logistics"));
  private static final WordTable EMPLOYER_CUES = WordTable.of(List.of("for", "at", "by", "from", "of"));

  /** "St. Agnes", "ST JOSEPH'S", "Holy Cross": the saint word and the name after it. */
  private void saint(String t, LexTokens tk, int i, Consumer<Finding> out, boolean[] taken,
      LearnedWords learned) {
    int x = i + 1;
    boolean dotted = tk.starts[x] - tk.ends[i] == 2 && t.charAt(tk.ends[i]) == '.' && t.charAt(tk.ends[i] + 1) == ' ';
    if (!(tk.spaced(t, i, x, 1) || dotted) || !tk.capitalized(t, i) || !tk.capitalized(t, x)) {
      return;
    }
    // "ST" is also sinus tachycardia ("ST. Stable", "ST ELEVATION"): after it only a dictionary first name
    boolean st = tk.length(i) <= 3;
    boolean name = tk.has(x, ClinicalLexicon.FIRST) && (tk.flags[x] & NEVER_PLACE) == 0
        && ((tk.flags[x] & ClinicalLexicon.ENGLISH) == 0 || !st);
    boolean mixedCaseName = !st && !tk.allCaps(t, x) && nameShaped(t, tk, x);
    if (!(name || mixedCaseName)) {
      return;
    }
    out.accept(finding(tk.starts[i], tk.ends[x], 0.8));
    taken[i] = true;
    taken[x] = true;
    if (oddWord(tk, x)) {
      learned.add(t, tk.starts[x], tk.ends[x]);
    }
  }

  /** "Eastern Shore", "BALTIMORE COUNTY", "North Campus": a name-shaped word before a place word. */
  private void beforeSuffix(String t, LexTokens tk, int k, Consumer<Finding> out, boolean[] taken,
      LearnedWords learned) {
    int x = k - 1;
    boolean lower = !tk.capitalized(t, x) && !tk.capitalized(t, k) && oddWord(tk, x); // "mazur campus"
    if (!tk.spaced(t, x, k, 1) || !(lower || tk.capitalized(t, x) && tk.capitalized(t, k))
        || (tk.flags[x] & NEVER_PLACE) != 0 || tk.length(x) < 3
        || !(oddWord(tk, x) || !tk.allCaps(t, x) || tk.allCaps(t, k))) {
      return;
    }
    boolean house = (t.charAt(tk.starts[k]) | 32) == 'h' && (t.charAt(tk.starts[k] + 1) | 32) == 'o';
    if (house && !oddWord(tk, x)) {
      return; // "Grieco House" is a home's name; "Open House" is not
    }
    out.accept(finding(tk.starts[x], tk.ends[k], 0.75));
    taken[x] = true;
    taken[k] = true;
    if (oddWord(tk, x)) {
      learned.add(t, tk.starts[x], tk.ends[x]);
    }
  }

  /** "TRANSFER QUARTERMAIN 2", "transferred to Blake 7": a ward named by an odd word and its floor number. */
  private void unitAfterMove(String t, LexTokens tk, int x, Consumer<Finding> out, boolean[] taken,
      LearnedWords learned) {
    if (x < tk.count && PLACE_CUE_WORDS.contains(t, tk.starts[x], tk.ends[x])) {
      x++;
    }
    if (x >= tk.count || taken[x] || !(tk.spaced(t, x - 1, x, 2) || tk.joined(t, x - 1, x)) || !oddWord(tk, x)
        || tk.length(x) < 4) {
      return;
    }
    int e = tk.ends[x];
    if (!(e + 2 <= t.length() && t.charAt(e) == ' ' && Character.isDigit(t.charAt(e + 1))
        && (e + 2 == t.length() || !Character.isLetterOrDigit(t.charAt(e + 2)) && !(t.charAt(e + 2) == '.'
            && e + 3 < t.length() && Character.isDigit(t.charAt(e + 3)))))) {
      return;
    }
    if (x + 1 < tk.count && tk.starts[x + 1] == e + 3 && !WARD_FOLLOWERS.contains(t, tk.starts[x + 1], tk.ends[x + 1])) {
      return; // "to levophed 2 mcg", "to recieve 1 bag": a dose or a count, not a ward and its floor
    }
    out.accept(finding(tk.starts[x], tk.ends[x], 0.75));
    taken[x] = true;
    learned.add(t, tk.starts[x], tk.ends[x]);
  }

  private static final WordTable PLACE_CUE_WORDS = WordTable.of(List.of("to", "the"));
  static final List<String> WARD_CUES_WORDS = List.of("to", "plan");
  private static final WordTable WARD_CUES = WordTable.of(WARD_CUES_WORDS);
  /** Words that may follow a ward's floor number ("to Blake 7 this am", "QUARTERMAIN 2 WHEN BED AVAIL"). */
  private static final WordTable WARD_FOLLOWERS = WordTable.of(List.of("this", "when", "today", "tonight",
      "tomorrow", "am", "pm", "later", "once", "and", "on", "in", "at", "for", "after", "with", "now", "soon",
      "if", "as", "per", "bed", "via", "by", "tmrw", "tom", "possibly", "likely"));

  /** "TO GH EW", "at CMC ER": an unknown abbreviation between "to/at/from" and an emergency or ICU word. */
  private static void abbreviationBeforeDepartment(String t, LexTokens tk, int cue, Consumer<Finding> out,
      boolean[] taken, LearnedWords learned) {
    int x = cue + 1;
    int dept = x + 1;
    if (dept >= tk.count || taken[x] || !tk.spaced(t, cue, x, 1) || !tk.spaced(t, x, dept, 1)
        || tk.length(x) < 2 || tk.length(x) > 5 || !tk.allCaps(t, x)
        || (tk.flags[x] & (NEVER_PLACE | ClinicalLexicon.ENGLISH)) != 0
        || !DEPARTMENTS.contains(t, tk.starts[dept], tk.ends[dept])) {
      return;
    }
    out.accept(new Finding(PhiCategory.LOCATION, tk.starts[x], tk.ends[x], "location", 0.75));
    taken[x] = true;
    learned.add(t, tk.starts[x], tk.ends[x]);
  }

  private static final WordTable DEPARTMENTS = WordTable.of(List.of("er", "ew", "ed", "icu", "micu", "ccu",
      "sicu", "nicu", "picu", "cvicu", "ctu", "emergency"));

  /** "transferred to X", "lives in X", "ADM TO THE GH". */
  private void cued(String t, LexTokens tk, int cue, Consumer<Finding> out, boolean[] taken, LearnedWords learned,
      LocationFindings found) {
    if (ResidenceTown.twoWords(t, tk, cue, found)) {
      return;
    }
    boolean afterVerb = cue > 0 && moveVerb(t, tk, cue - 1) && tk.spaced(t, cue - 1, cue, 2);
    if (!afterVerb) {
      abbreviationBeforeDepartment(t, tk, cue, out, taken, learned);
      return;
    }
    int x = cue + 1;
    if (x < tk.count && "the".equalsIgnoreCase(t.substring(tk.starts[x], tk.ends[x])) && tk.spaced(t, cue, x, 1)) {
      x++;
    }
    if (x >= tk.count || taken[x] || !(tk.spaced(t, x - 1, x, 1) || roomNumberBetween(t, tk, x - 1, x))) {
      return;
    }
    int f = tk.flags[x];
    if ((f & NEVER_PLACE) != 0 || (f & ClinicalLexicon.INSTITUTION) != 0) {
      return;
    }
    boolean abbreviation = tk.length(x) >= 2 && tk.length(x) <= 4 && tk.allCaps(t, x);
    boolean unknown = (f & ClinicalLexicon.ENGLISH) == 0 && tk.length(x) >= 2;
    // "went to Harbor": a capitalised everyday word in mixed-case writing, after a move, is a name
    boolean named = (f & ClinicalLexicon.ENGLISH) != 0 && tk.capitalized(t, x) && !tk.allCaps(t, x)
        && tk.length(x) >= 4 && !tk.capitalized(t, cue) && !tk.allCaps(t, cue - 1);
    if (!(abbreviation || unknown || named) || (f & ClinicalLexicon.ENGLISH) != 0 && !abbreviation && !named) {
      return;
    }
    if (abbreviation && (f & ClinicalLexicon.ENGLISH) != 0) {
      return;
    }
    if (!named && (f & (ClinicalLexicon.FIRST | ClinicalLexicon.LAST | ClinicalLexicon.PLACE)) == 0
        && (!tk.capitalized(t, x) || tk.allCaps(t, x)) && lexicon.nearEveryday(t, tk.starts[x], tk.ends[x])) {
      return; // "transfered to commonde", "TO THE MCIU": a typing slip, not a place ("to Lally MICU" is one)
    }
    out.accept(finding(tk.starts[x], tk.ends[x], 0.7));
    taken[x] = true;
    if (!named) { // a later "harbor" may be the word, not the place
      learned.add(t, tk.starts[x], tk.ends[x]);
    }
  }
}
