package org.wardline.server.config;

import java.util.List;
import java.util.stream.Collectors;

/** Every problem found in a configuration, reported together so an operator fixes them in one pass. */
public final class InvalidConfigException extends RuntimeException {
    private final List<ConfigProblem> problems;

    public InvalidConfigException(List<ConfigProblem> problems) {
        super(problems.size() + " configuration problem(s):\n" + problems.stream()
                .map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
