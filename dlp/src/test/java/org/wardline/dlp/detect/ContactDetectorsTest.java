package org.wardline.dlp.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Phone, fax, e-mail, URL and IP address detectors. */
class ContactDetectorsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "call (312) 555-0187 today | (312) 555-0187",
    "cell 312-555-0187 | 312-555-0187",
    "ph: 312.555.0187. | 312.555.0187",
    "reach at +1 312 555 0187 | +1 312 555 0187",
    "office 1-800-555-0199 ext. 42 | 1-800-555-0199 ext. 42",
    "phone 3125550187 | 3125550187",
  })
  void phoneNumbers(String text, String expected) {
    assertThat(Detections.of(new PhoneNumberDetector(), text)).containsExactly(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"order 3125550187", "BP 132/84 HR 88", "(112) 555-0187", "312-155-0187",
      "fax 312-555-0187", "lot 312-555-01878"})
  void notPhoneNumbers(String text) {
    assertThat(Detections.of(new PhoneNumberDetector(), text)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"Fax: (312) 555-0187 | (312) 555-0187", "FX 312-555-0187 | 312-555-0187",
      "fax # 3125550187 | 3125550187"})
  void faxNumbersAreTheirOwnCategory(String text, String expected) {
    assertThat(Detections.of(new FaxNumberDetector(), text)).containsExactly(expected);
    assertThat(Detections.of(new PhoneNumberDetector(), text)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "send to jane.doe@example.org. | jane.doe@example.org",
    "EMAIL: J_DOE+NOTES@MAIL.EXAMPLE.COM | J_DOE+NOTES@MAIL.EXAMPLE.COM",
    "<a.b-c@sub-domain.example.co.uk> | a.b-c@sub-domain.example.co.uk",
  })
  void emails(String text, String expected) {
    assertThat(Detections.of(new EmailDetector(), text)).containsExactly(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"meet @ 10am", "user@localhost", "a@b.c", "@example.com", "x@.com"})
  void notEmails(String text) {
    assertThat(Detections.of(new EmailDetector(), text)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "see https://portal.example.org/patient/123. | https://portal.example.org/patient/123",
    "WWW.EXAMPLE.COM/RESULTS, then | WWW.EXAMPLE.COM/RESULTS",
    "ftp://files.example.net/x?y=1 | ftp://files.example.net/x?y=1",
  })
  void urls(String text, String expected) {
    assertThat(Detections.of(new UrlDetector(), text)).containsExactly(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "host 192.168.10.25 down | 192.168.10.25",
    "from 10.0.0.1. | 10.0.0.1",
    "v6 2001:db8:85a3::8a2e:370:7334 ok | 2001:db8:85a3::8a2e:370:7334",
    "v6 fe80:0:0:0:202:b3ff:fe1e:8329 | fe80:0:0:0:202:b3ff:fe1e:8329",
    "mapped ::ffff:192.0.2.128 | ::ffff:192.0.2.128",
  })
  void ipAddresses(String text, String expected) {
    assertThat(Detections.of(new IpAddressDetector(), text)).containsExactly(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"version 1.2.3", "256.1.1.1", "at 12:30:45", "ratio 1:2", "1.2.3.4.5", "ab::cd::ef"})
  void notIpAddresses(String text) {
    assertThat(Detections.of(new IpAddressDetector(), text)).isEmpty();
  }
}
