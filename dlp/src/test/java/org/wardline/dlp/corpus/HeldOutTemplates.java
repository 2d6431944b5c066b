package org.wardline.dlp.corpus;

import static org.wardline.dlp.detect.PhiCategory.*;

import java.util.List;

/**
 * Discharge summaries, telephone encounters, referral letters and billing notes for the held-out corpus:
 * other wording, other layouts, and names from non-English locales that the name dictionary may lack.
 */
final class HeldOutTemplates {

  private HeldOutTemplates() {}

  static final List<NoteTemplate> PHI = List.of(
      (b, v, c) -> b.t("PATIENT NAME: ").phi(PERSON_NAME, c.last() + ", " + c.first()).t("\nDATE OF BIRTH: ")
          .phi(DATE, v.date()).t("\n"),
      (b, v, c) -> b.t("Admission Date: ").phi(DATE, v.date()).t("    Discharge Date: ").phi(DATE, v.date()).t("\n"),
      (b, v, c) -> b.t("Attending: ").phi(PERSON_NAME, c.doctor()).t(", MD\n"),
      (b, v, c) -> b.t("TELEPHONE ENCOUNTER - caller: patient's ").t(c.relation().toLowerCase())
          .t(" ").phi(PERSON_NAME, c.relFirst() + " " + c.relLast()).t(", call back number ").phi(PHONE, v.phone())
          .t(". Message left on voicemail.\n"),
      (b, v, c) -> b.t("Dear Dr. ").phi(PERSON_NAME, c.doctor()).t(",\nThank you for referring Mr. ")
          .phi(PERSON_NAME, c.last()).t(", a ").phi(AGE_OVER_89, v.oldAge()).t("-year-old gentleman, to our clinic.\n"),
      (b, v, c) -> b.t("Hospital acct: ").phi(ACCOUNT_NUMBER, v.account()).t("  Unit no.: ").phi(MRN, v.mrn())
          .t("\n"),
      (b, v, c) -> b.t("Primary insurance: Aetna, subscriber ID ").phi(HEALTH_PLAN_ID, v.healthPlanId())
          .t(", Medicare Beneficiary Identifier ").phi(MBI, v.mbi()).t(".\n"),
      (b, v, c) -> b.t("Home address on file: ").phi(STREET_ADDRESS, v.street() + " " + v.city() + ", " + v.stateAbbr())
          .t(" ").phi(ZIP_CODE, v.zip()).t(".\n"),
      (b, v, c) -> b.t("Please send the records to our office (Fax: ").phi(FAX, v.phone()).t(") or by e-mail to ")
          .phi(EMAIL, v.email()).t(".\n"),
      (b, v, c) -> b.t("Social Security #: ").phi(SSN, v.ssn()).t("\n"),
      (b, v, c) -> b.t("Prescriber: ").phi(PERSON_NAME, c.doctor()).t(" (NPI ").phi(NPI, v.npi()).t("; DEA # ")
          .phi(DEA_NUMBER, v.dea(c.doctor())).t(")\n"),
      (b, v, c) -> b.t("Balance of $245.00 charged to card ending ").t(String.valueOf(v.between(1000, 9999)))
          .t("; full number on file ").phi(PAYMENT_CARD, v.card()).t(".\n"),
      (b, v, c) -> b.t("Patient portal access was granted from ").phi(IP_ADDRESS, v.ip()).t(" via ")
          .phi(URL, v.url()).t(".\n"),
      (b, v, c) -> b.t("She was last seen in clinic on ").phi(DATE, v.date()).t(" by ").phi(PERSON_NAME, c.nurse())
          .t(", NP.\n"),
      (b, v, c) -> b.t("The patient, ").phi(PERSON_NAME, c.first() + " " + c.last()).t(", is ")
          .phi(AGE_OVER_89, v.oldAge()).t(" and uses a walker.\n"),
      (b, v, c) -> b.t("Next of kin: ").phi(PERSON_NAME, c.relFirst() + " " + c.relLast()).t(", cell ")
          .phi(PHONE, v.phone()).t("\n"));

  static final List<NoteTemplate> FILLER = List.of(
      (b, v, c) -> b.t("HOSPITAL COURSE: Admitted with community-acquired pneumonia, treated with ceftriaxone 1 g IV "
          + "q24h and azithromycin 500 mg, transitioned to PO on day 3.\n"),
      (b, v, c) -> b.t("DISCHARGE MEDICATIONS: furosemide 40 mg daily, potassium chloride 20 mEq daily, "
          + "apixaban 5 mg twice daily.\n"),
      (b, v, c) -> b.t("Follow-up in 2 weeks with cardiology; repeat BMP in 1 week. Ejection fraction 35-40%.\n"),
      (b, v, c) -> b.t("Exam: lungs with bibasilar crackles, 2+ pitting edema to mid-shin, JVP 9 cm.\n"),
      (b, v, c) -> b.t("Code status: DNR/DNI, confirmed with patient and health care proxy.\n"),
      (b, v, c) -> b.t("Vitals at discharge 118/72, 76, 16, 97.9 F, SpO2 96% RA, weight 81.4 kg.\n"),
      (b, v, c) -> b.t("Diet: 2 g sodium, 1.5 L fluid restriction. Activity as tolerated.\n"),
      (b, v, c) -> b.t("CT chest 3/2 cm nodule RUL unchanged from prior; recommend repeat in 12 months.\n"));

  static final List<String> RELATIONS = List.of("Daughter", "Son", "Spouse", "Niece", "Neighbor", "Grandson");
}
