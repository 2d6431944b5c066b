package org.wardline.clients.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.function.Consumer;

/** The {@code --json} switch of the admin commands that print the server's answer, and their output. */
final class JsonOutput {
    @Option(names = "--json", description = "Print the server's answer as JSON.")
    boolean json;
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    PrintWriter out() {
        return command.commandLine().getOut();
    }

    PrintWriter err() {
        return command.commandLine().getErr();
    }

    /** The answer as JSON with {@code --json}, otherwise as {@code human} prints it. */
    void print(JsonNode answer, Consumer<JsonNode> human) {
        AdminOutput.print(out(), json, answer, human);
    }
}
