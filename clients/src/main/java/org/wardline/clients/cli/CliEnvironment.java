package org.wardline.clients.cli;

import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The environment variables the client reads ({@code WARDLINE_HOME}, {@code HOME}, passphrases …): the process's
 * own, or those a test or an embedding program gives {@link WardlineCli#run(java.io.PrintWriter, java.io.PrintWriter,
 * Map, String...)} for one run.
 */
final class CliEnvironment {
    private static final ThreadLocal<UnaryOperator<String>> OVERRIDE = new ThreadLocal<>();

    private CliEnvironment() {
    }

    static String get(String name) {
        UnaryOperator<String> o = OVERRIDE.get();
        return o == null ? System.getenv(name) : o.apply(name);
    }

    /** Runs {@code body} with exactly {@code env} as the environment. */
    static <T> T with(Map<String, String> env, java.util.function.Supplier<T> body) {
        Map<String, String> copy = Map.copyOf(env);
        OVERRIDE.set(copy::get);
        try {
            return body.get();
        } finally {
            OVERRIDE.remove();
        }
    }
}
