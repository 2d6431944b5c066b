package org.wardline.server.report;

import java.util.List;

/**
 * RFC 4180 CSV for reports. Cells that a spreadsheet would run as a formula ({@code = + - @} first) are prefixed
 * with an apostrophe (OWASP "CSV injection").
 */
public final class Csv {
    private Csv() {
    }

    public static String of(List<String> header, List<List<Object>> rows) {
        StringBuilder out = new StringBuilder();
        line(out, header.stream().map(h -> (Object) h).toList());
        rows.forEach(r -> line(out, r));
        return out.toString();
    }

    private static void line(StringBuilder out, List<Object> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(cells.get(i)));
        }
        out.append("\r\n");
    }

    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String s = String.valueOf(value);
        if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 || s.startsWith("'")) {
            s = '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
