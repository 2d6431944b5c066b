package org.wardline.server.sharelink;

/** How the recipient proves who they are: a code mailed to them, or a code the sender tells them by phone. */
public enum RecipientKind {
    EMAIL, PHONE
}
