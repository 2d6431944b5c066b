package org.wardline.dlp.detect;

/** Kinds of protected health information the detectors report (after the HIPAA Safe Harbor identifiers). */
public enum PhiCategory {
  SSN,
  MBI,
  NPI,
  DEA_NUMBER,
  PAYMENT_CARD,
  MRN,
  ACCOUNT_NUMBER,
  HEALTH_PLAN_ID,
  EMAIL,
  URL,
  IP_ADDRESS,
  PHONE,
  FAX,
  STREET_ADDRESS,
  ZIP_CODE,
  DATE,
  AGE_OVER_89,
  PERSON_NAME,
  /** Hospitals, clinics, towns and cities: geographic units smaller than a state. */
  LOCATION
}
