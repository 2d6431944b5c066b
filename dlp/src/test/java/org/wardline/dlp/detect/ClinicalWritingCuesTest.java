package org.wardline.dlp.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The second round of clinical-writing cues (issue #17): wards and bare hospital abbreviations, saints' and
 * memorial names, names before a credential and after weak cues, dated procedures. Sentences written for
 * these tests; the names and places are made up.
 */
class ClinicalWritingCuesTest {

  private static final PhiScanner SCANNER = PhiScanner.standard();

  private static List<String> found(String text, PhiCategory category) {
    return SCANNER.scan(text).stream().filter(f -> f.category() == category)
        .map(f -> text.substring(f.start(), f.end())).toList();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "PLAN: TRANSFER TO MERRIVALE 3 WHEN BED AVAILABLE | MERRIVALE",
    "A: STABLE. P: TRANSFER OSTERLY 2. | OSTERLY",
    "plan: ostervik 4 this am, pain control | ostervik",
    "pt transferred to 412 brackenwood. | brackenwood",
    "transplant done at Holy Redeemer years ago | Holy Redeemer",
    "Wants to go to Beacon and wait for a heart | Beacon",
    "was on vacation on the Western Shore when pain began | Western Shore",
    "intubated, transferred from er kestrel campus. | kestrel campus",
    "FAMILY SAYS AT GRANGE MEMORIAL SHE HAD A RASH | GRANGE MEMORIAL",
    "He was med-flighted to TVH and went to the cath lab | TVH",
    "found unresponsive-> WCH EW today | WCH",
    "89 yo woman, Albrecht House NH resident | Albrecht House",
    "followed at tvh by her pcp | tvh",
    "UNEMPLOYED. HUSBAND CEO OF KCB. SMOKER | KCB",
    "much improved and transferred to Pelly MICU. PMH as noted | Pelly",
    "social: works for Kestrel Logistics, lives with wife | Kestrel Logistics",
  })
  void wardsAbbreviationsAndHospitalShapes(String text, String place) {
    assertThat(found(text, PhiCategory.LOCATION)).contains(place);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "She went by ambulance to St. Ursula Hospital | St. Ursula",
    "TRANSFERRED FROM ST BRIGID FOR CATH | ST BRIGID",
  })
  void aSaintsNameIsAHospitals(String text, String place) {
    assertThat(found(text, PhiCategory.LOCATION)).anyMatch(p -> p.contains(place));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "TIME OF DEATH 10:26. PRONOUNCED BY DR. L. VANTERPOOL. FAMILY AT BEDSIDE | VANTERPOOL",
    "OK TO USE AS CENTRAL LINE PER ROLAND HAVELKA NP PATENT | ROLAND HAVELKA",
    "being followed by Miriam Hope, MSW. Wife called | Miriam Hope",
    "CASE MANAGEMENT CONTACTS ANNA MARIE KOWALCZYK | ANNA MARIE KOWALCZYK",
    "BP LOW, K MILLER AWARE OF LABS | K MILLER",
    "Wife and lawyer (Tobias Wendt) aware of plan | Tobias",
    "SW has spoken extensively with Ines Varga about goals | Ines Varga",
    "visited by significant other marco, updated on her condition | marco",
    "PUPILS UNEQUAL (B. KOSTADINOV PA AWARE) | KOSTADINOV",
    "social: anna visited during the evening | anna",
    "Dr. o brannigan and Dr. Velasquez in room | brannigan",
    "sbp goal 120 to 135 per d miller. pacing wires attached | miller",
    "CXR DONE MID AM- AS PER B. HALVORSEN-PT SOMEWHAT WET | HALVORSEN",
  })
  void namesBeforeCredentialsAndAfterWeakCues(String text, String name) {
    assertThat(found(text, PhiCategory.PERSON_NAME)).anyMatch(n -> n.contains(name));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "Pt going to the OR 4/10 for CABG and MVR | 4/10",
    "inf hypokinesis. 5/16-> CABGx3 | 5/16",
    "SPEAKING FEMALE.\\n11/10 2WK HX OF CHEST PAIN | 11/10",
    "pt fell on 7-22 at home | 7-22",
    "PANCULTURED 3/11, RESULTS PENDING | 3/11",
    "CARDIAC PERFORATIONS X2. 10/15 RAPID AF, RXED W PROCAN | 10/15",
    "PMH: NIDDM. 09 PTCA to LCX. 13 stent to LAD | 09",
    "PMH: NIDDM. 09 PTCA to LCX. 13 stent to LAD | 13",
  })
  void datedProceduresAndTimelineEntries(String text, String date) {
    assertThat(found(text.replace("\\n", "\n"), PhiCategory.DATE)).contains(date);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "PA CATHETER PLACED, PA PRESSURES 40'S",
    "CV: HR 90'S ST. Stable BP off neo",
    "3RD UNIT PRBC HUNG, 2ND UNIT PEND",
    "she is to recieve 1 bag on call to OR",
    "TMAX ED 101.2, CURRENT 98.6",
    "PAIN 7/10 AFTER CATH, MEDICATED",
    "PSV 10/5 FOR 2 HRS, TOLERATING",
    "titrated to neosynephrine 2 mcg/kg",
    "ST ELEVATION IN LEADS V2-V4",
    "SATS WNL ON 2-4L NP, DROPPING WITH CARE",
    "ON 4-5 L NC WITH RR IN THE 20'S",
    "ICP ranging from 11-30s overnight",
    "OOB TO CHAIR W/ ASSIST OF 1-2",
    "sedated with propofol, ac 600x12/5/40% overnight",
    "AFTER APPROX. 11/2HR, RATE INCREASED",
    "PSV increased to 10/5 overnight to rest",
    "Hr 70-80' nsr with occ pvc's",
    "HOB 30' at all times",
    "cough since lung surgery 20 yrs ago",
    "DUMPED 2000+ OVERNIGHT",
    "1900>>0700 S: RESTING",
    "MOVING LE'S, LE'S WARM",
    "PLEASE ALSO SEE MD NOTES FOR DETAILS",
    "works at home on weekends",
    "following commands. transfered to commonde/chair with assist",
    "EXTUBATED AND TRANSFERRED TO THE MCIU. ON ARRIVAL",
    "retired from the army, lives alone",
    "NEURO: 13 BEATS OF VT. 12 PVCS OVERNIGHT",
  })
  void clinicalProseStaysClean(String text) {
    assertThat(SCANNER.scan(text)).as(text).isEmpty();
  }
}
