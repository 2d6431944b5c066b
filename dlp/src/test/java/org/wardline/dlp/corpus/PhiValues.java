package org.wardline.dlp.corpus;

import java.util.List;
import java.util.Random;
import net.datafaker.Faker;

/** Synthetic identifier values in the forms people write them. Formats are chosen at random. */
final class PhiValues {

  private static final String[] MONTHS = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December"
  };
  private static final String MBI_LETTERS = "ACDEFGHJKMNPQRTUVWXY";
  private static final String DEA_FIRST = "ABFGMPR";

  final Random r;
  final Faker faker;
  private final List<Faker> nameFakers;

  PhiValues(Random r, Faker faker, List<Faker> nameFakers) {
    this.r = r;
    this.faker = faker;
    this.nameFakers = nameFakers;
  }

  <T> T pick(List<T> options) {
    return options.get(r.nextInt(options.size()));
  }

  String pick(String... options) {
    return options[r.nextInt(options.length)];
  }

  int between(int lo, int hiInclusive) {
    return lo + r.nextInt(hiInclusive - lo + 1);
  }

  private Faker nameFaker() {
    return pick(nameFakers);
  }

  String firstName() {
    return nameFaker().name().firstName();
  }

  String lastName() {
    return nameFaker().name().lastName();
  }

  String ssn() {
    int area;
    do {
      area = between(1, 899);
    } while (area == 666);
    String a = String.format("%03d", area);
    String g = String.format("%02d", between(1, 99));
    String s = String.format("%04d", between(1, 9999));
    return switch (r.nextInt(4)) {
      case 0, 1 -> a + "-" + g + "-" + s;
      case 2 -> a + " " + g + " " + s;
      default -> a + g + s;
    };
  }

  String date() {
    int y = between(1925, 2025);
    int m = between(1, 12);
    int d = between(1, 28);
    String mon = MONTHS[m - 1];
    return switch (r.nextInt(12)) {
      case 0 -> m + "/" + d;
      case 1 -> String.format("%02d/%02d/%d", m, d, y);
      case 2 -> m + "/" + d + "/" + String.format("%02d", y % 100);
      case 3 -> mon + " " + d + ordinal(d);
      case 4 -> mon + " " + d + ", " + y;
      case 5 -> String.format("%02d-%s-%02d", d, mon.substring(0, 3), y % 100);
      case 6 -> String.format("%d-%02d-%02d", y, m, d);
      case 7 -> d + " " + mon + " " + y;
      case 8 -> mon.substring(0, 3) + " " + d;
      case 9 -> m + "-" + d + "-" + y;
      case 10 -> mon + " " + y;
      default -> String.format("%02d/%02d", m, d);
    };
  }

  private static String ordinal(int d) {
    if (d >= 11 && d <= 13) {
      return "th";
    }
    return switch (d % 10) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    };
  }

  String oldAge() {
    return String.valueOf(between(90, 104));
  }

  String phone() {
    int a = between(201, 989);
    int x = between(200, 999);
    int n = between(0, 9999);
    return switch (r.nextInt(5)) {
      case 0 -> String.format("(%d) %d-%04d", a, x, n);
      case 1 -> String.format("%d-%d-%04d", a, x, n);
      case 2 -> String.format("%d.%d.%04d", a, x, n);
      case 3 -> String.format("+1 %d %d %04d", a, x, n);
      default -> String.format("%d-%d-%04d ext %d", a, x, n, between(10, 999));
    };
  }

  String email() {
    return faker.internet().emailAddress();
  }

  String url() {
    return switch (r.nextInt(3)) {
      case 0 -> "https://portal." + faker.internet().domainName() + "/patient/" + between(10000, 99999);
      case 1 -> "www." + faker.internet().domainName();
      default -> "http://" + faker.internet().domainName() + "/records?id=" + between(1000, 999999);
    };
  }

  String ip() {
    if (r.nextInt(4) == 0) {
      return String.format("2001:db8:%x:%x::%x", between(1, 0xffff), between(1, 0xffff), between(1, 0xffff));
    }
    return between(10, 223) + "." + between(0, 255) + "." + between(0, 255) + "." + between(1, 254);
  }

  String street() {
    String s = faker.address().streetAddress();
    return r.nextInt(4) == 0 ? s + " " + faker.address().secondaryAddress() : s;
  }

  String zip() {
    return r.nextInt(4) == 0 ? faker.address().zipCodePlus4() : faker.address().zipCode();
  }

  String city() {
    return faker.address().city();
  }

  String stateAbbr() {
    return faker.address().stateAbbr();
  }

  String digits(int n) {
    StringBuilder b = new StringBuilder(n);
    b.append((char) ('1' + r.nextInt(9)));
    for (int i = 1; i < n; i++) {
      b.append((char) ('0' + r.nextInt(10)));
    }
    return b.toString();
  }

  String letters(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append((char) ('A' + r.nextInt(26)));
    }
    return b.toString();
  }

  String mrn() {
    return switch (r.nextInt(3)) {
      case 0 -> digits(between(7, 9));
      case 1 -> "00" + digits(6);
      default -> letters(1) + digits(7);
    };
  }

  String account() {
    return r.nextBoolean() ? digits(between(8, 12)) : letters(2) + digits(8);
  }

  String healthPlanId() {
    return switch (r.nextInt(3)) {
      case 0 -> letters(3) + digits(9);
      case 1 -> letters(1) + digits(8) + letters(1);
      default -> digits(11);
    };
  }

  String npi() {
    String body = (r.nextBoolean() ? "1" : "2") + digits(8).substring(0, 8);
    for (int check = 0; check < 10; check++) {
      if (luhn("80840" + body + check)) {
        return body + check;
      }
    }
    throw new AssertionError("unreachable");
  }

  String dea(String lastName) {
    char second = Character.toUpperCase(lastName.charAt(0));
    if (second < 'A' || second > 'Z') {
      second = '9';
    }
    int[] d = new int[6];
    for (int i = 0; i < 6; i++) {
      d[i] = r.nextInt(10);
    }
    int check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10;
    StringBuilder b = new StringBuilder().append(DEA_FIRST.charAt(r.nextInt(DEA_FIRST.length()))).append(second);
    for (int x : d) {
      b.append(x);
    }
    return b.append(check).toString();
  }

  String mbi() {
    StringBuilder b = new StringBuilder();
    b.append(between(1, 9)).append(mbiLetter()).append(mbiAlnum()).append(r.nextInt(10));
    boolean dashes = r.nextBoolean();
    if (dashes) {
      b.append('-');
    }
    b.append(mbiLetter()).append(mbiAlnum()).append(r.nextInt(10));
    if (dashes) {
      b.append('-');
    }
    b.append(mbiLetter()).append(mbiLetter()).append(r.nextInt(10)).append(r.nextInt(10));
    return b.toString();
  }

  private char mbiLetter() {
    return MBI_LETTERS.charAt(r.nextInt(MBI_LETTERS.length()));
  }

  private char mbiAlnum() {
    return r.nextBoolean() ? mbiLetter() : (char) ('0' + r.nextInt(10));
  }

  String card() {
    String prefix = pick("4", "51", "55", "2221", "37", "6011");
    int len = prefix.equals("37") ? 15 : 16;
    StringBuilder b = new StringBuilder(prefix);
    while (b.length() < len - 1) {
      b.append(r.nextInt(10));
    }
    for (int check = 0; check < 10; check++) {
      if (luhn(b.toString() + check)) {
        b.append(check);
        break;
      }
    }
    String d = b.toString();
    if (len == 15) {
      return r.nextBoolean() ? d : d.substring(0, 4) + " " + d.substring(4, 10) + " " + d.substring(10);
    }
    return switch (r.nextInt(3)) {
      case 0 -> d;
      case 1 -> d.substring(0, 4) + " " + d.substring(4, 8) + " " + d.substring(8, 12) + " " + d.substring(12);
      default -> d.substring(0, 4) + "-" + d.substring(4, 8) + "-" + d.substring(8, 12) + "-" + d.substring(12);
    };
  }

  private static boolean luhn(String digits) {
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (twice) {
        d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }
}
