package org.wardline.dlp.corpus;

import static org.wardline.dlp.detect.PhiCategory.*;

import java.util.List;

/** Nursing and progress-note sentences for the main corpus. */
final class MainTemplates {

  private MainTemplates() {}

  static final List<NoteTemplate> PHI = List.of(
      (b, v, c) -> b.t("Pt ").phi(PERSON_NAME, c.first() + " " + c.last()).t(" is a ").t(v.between(40, 88) + "")
          .t(" y/o admitted on ").phi(DATE, v.date()).t(" for CHF exacerbation. "),
      (b, v, c) -> b.t("Pt is a ").phi(AGE_OVER_89, v.oldAge()).t(v.pick(" y/o F", " yo M", " year old female", "yo ", " YO female"))
          .t(" with hx of afib, HTN, DM2. "),
      (b, v, c) -> b.t("DOB: ").phi(DATE, v.date()).t(". MRN: ").phi(MRN, v.mrn()).t(". "),
      (b, v, c) -> b.t("Medical record number ").phi(MRN, v.mrn()).t(", acct # ").phi(ACCOUNT_NUMBER, v.account()).t(". "),
      (b, v, c) -> b.t(c.relation() + " ").phi(PERSON_NAME, c.relFirst()).t(" at bedside, can be reached at ")
          .phi(PHONE, v.phone()).t(". "),
      (b, v, c) -> b.t("Spoke with Dr. ").phi(PERSON_NAME, c.doctor()).t(" re: K 3.2, new orders for KCl 20 mEq PO x1. "),
      (b, v, c) -> b.t("Pt lives at ").phi(STREET_ADDRESS, v.street() + ", " + v.city() + ", " + v.stateAbbr()).t(" ")
          .phi(ZIP_CODE, v.zip()).t(" with ").t(c.relation()).t(". "),
      (b, v, c) -> b.t("SSN ").phi(SSN, v.ssn()).t(" verified with pt at registration. "),
      (b, v, c) -> b.t("Insurance: Medicare, MBI ").phi(MBI, v.mbi()).t("; secondary BCBS member ID ")
          .phi(HEALTH_PLAN_ID, v.healthPlanId()).t(". "),
      (b, v, c) -> b.t("Discharge summary faxed to PCP office, fax ").phi(FAX, v.phone()).t(". "),
      (b, v, c) -> b.t("Ordering provider NPI ").phi(NPI, v.npi()).t(", DEA ").phi(DEA_NUMBER, v.dea(c.doctor()))
          .t(". "),
      (b, v, c) -> b.t("Pt requests copies of records sent to ").phi(EMAIL, v.email()).t(". "),
      (b, v, c) -> b.t("Family given portal link ").phi(URL, v.url()).t(" for results. "),
      (b, v, c) -> b.t("Telemetry box reconnected, monitor IP ").phi(IP_ADDRESS, v.ip()).t(" per biomed. "),
      (b, v, c) -> b.t("Pt paid copay w/ card ").phi(PAYMENT_CARD, v.card()).t(", receipt given. "),
      (b, v, c) -> b.t("Mrs. ").phi(PERSON_NAME, c.relLast()).t(" called the unit asking about pt status, ")
          .t("informed per HIPAA only w/ pt consent. "),
      (b, v, c) -> b.t("Report given to ").phi(PERSON_NAME, c.nurse()).t(" RN at shift change. "),
      (b, v, c) -> b.t("Last colonoscopy ").phi(DATE, v.date()).t(", next due in 5 yrs. "),
      (b, v, c) -> b.t("Pt ").phi(PERSON_NAME, c.first()).t(" states she feels \"much better today\". "),
      (b, v, c) -> b.t("Seen by ").phi(PERSON_NAME, c.doctor()).t(" MD on rounds, plan to wean O2. "),
      (b, v, c) -> b.t("Emergency contact: ").phi(PERSON_NAME, c.relFirst() + " " + c.relLast()).t(" (" + c.relation() + ") ")
          .phi(PHONE, v.phone()).t(". "),
      (b, v, c) -> b.t("Pt's ").t(c.relation()).t(" ").phi(PERSON_NAME, c.relFirst()).t(" reports pt fell at home on ")
          .phi(DATE, v.date()).t(". "),
      (b, v, c) -> b.t("Pt is ").phi(AGE_OVER_89, v.oldAge()).t(" years old and lives alone. "));

  static final List<NoteTemplate> FILLER = List.of(
      (b, v, c) -> b.t("VS: BP 132/84, HR 88, RR 18, T 98.6, O2 sat 94% on 2L NC. "),
      (b, v, c) -> b.t("Pain 7/10 in L hip, medicated w/ oxycodone 5 mg PO, reassessed pain 3/10 at 1430. "),
      (b, v, c) -> b.t("A&Ox3, MAE, 5/5 strength BUE, 4/5 BLE. Skin warm, dry, intact. "),
      (b, v, c) -> b.t("Metoprolol 25 mg PO BID, lisinopril 10 mg daily, 1/2 tab ASA 81 mg. "),
      (b, v, c) -> b.t("I&O 1200/800. FSBS 182 at 0730, covered per sliding scale w/ 4 units lispro. "),
      (b, v, c) -> b.t("Pt ambulated 200 ft in hall w/ walker and standby assist, tolerated well. "),
      (b, v, c) -> b.t("Labs: WBC 11.2, Hgb 9.8, Plt 210, Na 136, K 4.1, Cr 1.3, BNP 1450. "),
      (b, v, c) -> b.t("Will continue to monitor, call light within reach, bed in low position. "),
      (b, v, c) -> b.t("Pt is a ").t(v.between(45, 88) + "").t(" y/o M, hx of MI in 2015, s/p CABG. "),
      (b, v, c) -> b.t("Turned q2h, heels offloaded, Braden 14. Mark site w/ skin marker. "),
      (b, v, c) -> b.t("Room 412 bed 2, fall risk, yellow socks on. GCS 15. "),
      (b, v, c) -> b.t("Foley d/c'd at 0600, due to void by 1400. BMI 31.2. "),
      (b, v, c) -> b.t("Pt denies CP, SOB, N/V. Tolerating cardiac diet, ate 75% of breakfast. "),
      (b, v, c) -> b.t("IV site R forearm 20g, flushed, no s/s infiltration. NS at 75 ml/hr. "));

  static final List<String> RELATIONS = List.of("Daughter", "Son", "Wife", "Husband", "Sister", "Brother");
}
