package org.wardline.protocol.wire;

/** Size limits of protocol version 1; a frame that breaks one is refused with {@code request.too_large}. */
public final class WireLimits {
    /** The protocol version this code speaks. */
    public static final int VERSION = 1;
    /** Largest encoded frame (header and fields), in bytes. */
    public static final int MAX_FRAME_BYTES = 192 * 1024;
    /** Most fields in one frame. */
    public static final int MAX_FIELDS = 1024;
    /** Largest MLS group ID, in bytes. */
    public static final int MAX_GROUP_ID_BYTES = 255;
    /** Largest UTF-8 text field (device URIs, error codes), in bytes. */
    public static final int MAX_TEXT_BYTES = 512;

    private WireLimits() {
    }
}
