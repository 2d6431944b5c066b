package org.wardline.server.firststeps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The shell lines of one README section's {@code bash} blocks, and a small shell-word splitter for them: single and
 * double quotes, {@code $NAME} expansion (not inside single quotes) and a trailing {@code # comment}. Lines
 * {@code #   text} right after a command are what the reader types into that command (chat input).
 */
final class ReadmeCommands {
    /** One command line and the lines typed into it. */
    record Line(String text, List<String> typed) {
    }

    private ReadmeCommands() {
    }

    static List<Line> section(Path readme, String heading) throws IOException {
        List<String> all = Files.readAllLines(readme);
        int start = all.indexOf("## " + heading);
        if (start < 0) {
            throw new IllegalStateException("README has no section " + heading);
        }
        List<Line> out = new ArrayList<>();
        boolean inBash = false;
        for (int i = start + 1; i < all.size() && !all.get(i).startsWith("## "); i++) {
            String l = all.get(i);
            if (!inBash) {
                inBash = l.equals("```bash");
                continue;
            }
            if (l.equals("```")) {
                inBash = false;
            } else if (l.startsWith("#   ") && !out.isEmpty()) {
                out.get(out.size() - 1).typed().add(l.substring(4).strip());
            } else if (!l.isBlank() && !l.startsWith("#")) {
                out.add(new Line(l.strip(), new ArrayList<>()));
            }
        }
        return out;
    }

    /** Splits a line into words as a POSIX shell would for these simple lines, expanding variables with {@code vars}. */
    static List<String> words(String line, UnaryOperator<String> vars) {
        List<String> words = new ArrayList<>();
        StringBuilder w = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                w = w == null ? new StringBuilder() : w;
                w.append(line, i + 1, end);
                i = end;
            } else if (c == '"') {
                int end = line.indexOf('"', i + 1);
                w = w == null ? new StringBuilder() : w;
                w.append(expand(line.substring(i + 1, end), vars));
                i = end;
            } else if (Character.isWhitespace(c)) {
                if (w != null) {
                    words.add(w.toString());
                    w = null;
                }
            } else if (c == '#' && w == null) {
                break;
            } else {
                int end = i;
                while (end < line.length() && !Character.isWhitespace(line.charAt(end)) && "'\"".indexOf(line.charAt(end)) < 0) {
                    end++;
                }
                w = w == null ? new StringBuilder() : w;
                w.append(expand(line.substring(i, end), vars));
                i = end - 1;
            }
        }
        if (w != null) {
            words.add(w.toString());
        }
        return words;
    }

    static String expand(String s, UnaryOperator<String> vars) {
        StringBuilder out = new StringBuilder();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?").matcher(s);
        int last = 0;
        while (m.find()) {
            out.append(s, last, m.start());
            String v = vars.apply(m.group(1));
            if (v == null) {
                throw new IllegalStateException("the README uses $" + m.group(1) + " before setting it");
            }
            out.append(v);
            last = m.end();
        }
        return out.append(s.substring(last)).toString();
    }

    static UnaryOperator<String> lookup(Map<String, String> a, Map<String, String> b) {
        return n -> a.containsKey(n) ? a.get(n) : b.get(n);
    }
}
