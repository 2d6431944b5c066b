package org.wardline.dlp.policy;

/** What happens to content, from least to most restrictive; a verdict takes the most restrictive one. */
public enum Decision {
  ALLOW,
  /** Allowed and labelled with what was found. */
  TAG,
  /** Allowed once the sender gives a reason, which is audited. */
  REQUIRE_JUSTIFICATION,
  /** Held, encrypted, for a security officer to review; not visible to recipients. */
  QUARANTINE,
  BLOCK;

  public Decision max(Decision other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
