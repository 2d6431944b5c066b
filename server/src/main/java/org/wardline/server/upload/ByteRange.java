package org.wardline.server.upload;

import org.wardline.protocol.ErrorCode;
import org.wardline.server.http.WardlineHttpException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A single HTTP byte range ({@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}) resolved against a size. */
record ByteRange(long start, long length, boolean partial) {
    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

    static ByteRange parse(String header, long size) {
        if (header == null || header.isBlank()) {
            return new ByteRange(0, size, false);
        }
        Matcher m = SINGLE.matcher(header.trim());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            throw new WardlineHttpException(ErrorCode.RANGE_NOT_SATISFIABLE);
        }
        long start;
        long end;
        if (m.group(1).isEmpty()) {
            long suffix = Long.parseLong(m.group(2));
            start = Math.max(0, size - suffix);
            end = size - 1;
        } else {
            start = Long.parseLong(m.group(1));
            end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
        }
        if (start >= size || end < start) {
            throw new WardlineHttpException(ErrorCode.RANGE_NOT_SATISFIABLE);
        }
        return new ByteRange(start, end - start + 1, true);
    }

    String contentRange(long size) {
        return "bytes " + start + "-" + (start + length - 1) + "/" + size;
    }
}
