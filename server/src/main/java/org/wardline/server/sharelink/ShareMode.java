package org.wardline.server.sharelink;

/** What the recipient may do: see the document in the page (watermarked, no download) or download it. */
public enum ShareMode {
    VIEW, DOWNLOAD
}
