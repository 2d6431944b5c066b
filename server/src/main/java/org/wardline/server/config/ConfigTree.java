package org.wardline.server.config;

import org.wardline.protocol.Secret;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads typed values out of a parsed YAML tree by dotted path, with environment-variable overrides
 * ({@code storage.s3.secretKey} is overridden by {@code WARDLINE_STORAGE_S3_SECRET_KEY}). Problems are
 * collected, not thrown, so a caller can report them all; keys nobody read are reported as unknown.
 */
final class ConfigTree {
    private final Map<String, Object> flat = new LinkedHashMap<>();
    private final Map<String, String> env;
    private final Set<String> read = new LinkedHashSet<>();
    private final List<ConfigProblem> problems = new ArrayList<>();

    ConfigTree(Map<String, Object> root, Map<String, String> env) {
        this.env = env;
        flatten("", root);
    }

    /** YAML keys need not be strings ("1:", "{1}", "[a]: x"): they become paths like any other, unknown ones refused. */
    private void flatten(String prefix, Map<?, ?> node) {
        for (Map.Entry<?, ?> e : node.entrySet()) {
            String key = String.valueOf(e.getKey());
            String path = prefix.isEmpty() ? key : prefix + "." + key;
            if (e.getValue() instanceof Map<?, ?> child) {
                flatten(path, child);
            } else {
                flat.put(path, e.getValue());
            }
        }
    }

    static String envName(String path) {
        return "WARDLINE_" + path.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').replace('-', '_')
                .toUpperCase(java.util.Locale.ROOT);
    }

    void problem(String path, String message) {
        problems.add(new ConfigProblem(path, message));
    }

    List<ConfigProblem> problems() {
        List<ConfigProblem> all = new ArrayList<>(problems);
        for (String key : flat.keySet()) {
            if (!read.contains(key)) {
                all.add(new ConfigProblem(key, "unknown setting"));
            }
        }
        return all;
    }

    private Optional<Object> raw(String path) {
        read.add(path);
        String fromEnv = env.get(envName(path));
        if (fromEnv != null) {
            return Optional.of(fromEnv);
        }
        return Optional.ofNullable(flat.get(path));
    }

    /** The names directly under {@code prefix} in the file, e.g. each OIDC issuer under {@code auth.oidc}. */
    Set<String> childNames(String prefix) {
        Set<String> names = new java.util.TreeSet<>();
        String p = prefix + ".";
        for (String key : flat.keySet()) {
            if (key.startsWith(p) && key.indexOf('.', p.length()) > 0) {
                names.add(key.substring(p.length(), key.indexOf('.', p.length())));
            }
        }
        return names;
    }

    boolean isSet(String path) {
        return env.containsKey(envName(path)) || flat.containsKey(path);
    }

    Optional<String> string(String path) {
        return raw(path).map(String::valueOf).map(String::trim).filter(s -> !s.isEmpty());
    }

    String string(String path, String fallback) {
        return string(path).orElse(fallback);
    }

    /** The value, or {@code null} with a "required" problem recorded. */
    String required(String path) {
        Optional<String> v = string(path);
        if (v.isEmpty()) {
            problem(path, "required");
            return null;
        }
        return v.get();
    }

    /** A YAML list of strings, or a comma-separated string (the form an environment variable can carry). */
    List<String> stringList(String path) {
        Optional<Object> v = raw(path);
        if (v.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (v.get() instanceof List<?> list) {
            list.forEach(item -> out.add(String.valueOf(item).trim()));
        } else {
            for (String part : String.valueOf(v.get()).split(",")) {
                out.add(part.trim());
            }
        }
        out.removeIf(String::isEmpty);
        return List.copyOf(out);
    }

    Secret<String> secret(String path, boolean required) {
        Optional<String> v = string(path);
        if (v.isEmpty()) {
            if (required) {
                problem(path, "required (set it here or in " + envName(path) + ")");
            }
            return null;
        }
        return Secret.of(v.get());
    }

    int integer(String path, int fallback, int min, int max) {
        return number(path, fallback, min, max, Integer::parseInt).intValue();
    }

    long longValue(String path, long fallback, long min, long max) {
        return number(path, fallback, min, max, ConfigTree::parseSize).longValue();
    }

    private <N extends Number> Number number(String path, N fallback, long min, long max, Function<String, N> parse) {
        Optional<String> v = string(path);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            long n = parse.apply(v.get()).longValue();
            if (n < min || n > max) {
                problem(path, "must be between " + min + " and " + max + " (was " + n + ")");
                return fallback;
            }
            return n;
        } catch (NumberFormatException e) {
            problem(path, "not a number: " + v.get());
            return fallback;
        }
    }

    /** Whole numbers, optionally with a binary unit: {@code 512}, {@code 64KiB}, {@code 2GiB}, {@code 10MB}. */
    static Long parseSize(String s) {
        String t = s.trim().toUpperCase(java.util.Locale.ROOT).replace(" ", "");
        long unit = 1;
        for (String[] u : new String[][] {{"GIB", "1073741824"}, {"MIB", "1048576"}, {"KIB", "1024"},
                {"GB", "1073741824"}, {"MB", "1048576"}, {"KB", "1024"}, {"G", "1073741824"}, {"M", "1048576"},
                {"K", "1024"}, {"B", "1"}}) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length());
                break;
            }
        }
        return Math.multiplyExact(Long.parseLong(t), unit);
    }

    /** A YAML sequence, or a comma-separated string (how an environment variable gives a list); empty when unset. */
    List<String> list(String path) {
        Optional<Object> v = raw(path);
        if (v.isEmpty()) {
            return List.of();
        }
        java.util.stream.Stream<String> items = v.get() instanceof List<?> l ? l.stream().map(String::valueOf)
                : java.util.Arrays.stream(String.valueOf(v.get()).split(","));
        return items.map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    boolean bool(String path, boolean fallback) {
        Optional<String> v = string(path);
        if (v.isEmpty()) {
            return fallback;
        }
        return switch (v.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                problem(path, "must be true or false (was " + v.get() + ")");
                yield fallback;
            }
        };
    }

    <E extends Enum<E>> E enumValue(String path, Class<E> type, E fallback) {
        Optional<String> v = string(path);
        if (v.isEmpty()) {
            return fallback;
        }
        String wanted = v.get().replace('-', '_').replace('.', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(wanted)) {
                return constant;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            allowed.add(constant.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        }
        problem(path, "must be one of " + allowed + " (was " + v.get() + ")");
        return fallback;
    }
}
