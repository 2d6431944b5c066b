package org.wardline.dlp.policy;

/** Where content is going; rule packs decide per destination. */
public enum Destination {
  /** An attachment in a conversation between members of a care team. */
  INTERNAL_CONVERSATION,
  /** A file shared with someone outside through an expiring link. */
  EXTERNAL_SHARE_LINK
}
