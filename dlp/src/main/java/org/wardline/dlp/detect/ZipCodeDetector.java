package org.wardline.dlp.detect;

import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * US ZIP codes where context says so: after a state name or code ("IL 62704", "Texas 75001"), after a
 * "zip" cue, or in ZIP+4 form. Bare five-digit numbers are too common in clinical text to report.
 */
public final class ZipCodeDetector implements PhiDetector {

  private static final String STATES = "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS"
      + "|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|GU|VI"
      + "|Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho"
      + "|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota"
      + "|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York"
      + "|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota"
      + "|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|Puerto Rico";
  private static final Pattern AFTER_STATE =
      Pattern.compile("(?i)(?<=\\b(?:" + STATES + ")\\.?,? {1,2})\\d{5}(?:-\\d{4})?(?![\\d-])");
  private static final Pattern AFTER_CUE =
      Pattern.compile("(?i)(?<=\\b(?:zip|zip code|zipcode|postal code)\\s?[:#]?\\s{0,2})\\d{5}(?:-\\d{4})?(?![\\d-])");
  private static final Pattern ZIP_PLUS_4 = Pattern.compile("(?<![\\d-])\\d{5}-\\d{4}(?![\\d-])");

  @Override
  public String name() {
    return "zip-code";
  }

  @Override
  public PhiCategory category() {
    return PhiCategory.ZIP_CODE;
  }

  @Override
  public void detect(ScanText text, Consumer<Finding> out) {
    int[] regions = text.digitRegions();
    text.findIn(regions, AFTER_STATE, m -> out.accept(finding(m.start(), m.end(), 0.9)));
    text.findIn(regions, AFTER_CUE, m -> out.accept(finding(m.start(), m.end(), 0.95)));
    text.findIn(regions, ZIP_PLUS_4, m -> out.accept(finding(m.start(), m.end(), 0.7)));
  }
}
