package org.wardline.clients.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.PrintWriter;
import java.util.function.Consumer;

/** How {@code wardline admin …} prints: the server's JSON with {@code --json}, otherwise a few readable lines. */
final class AdminOutput {
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AdminOutput() {
    }

    static void print(PrintWriter out, boolean json, JsonNode answer, Consumer<JsonNode> human) {
        if (json) {
            try {
                out.println(PRETTY.writeValueAsString(answer));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot print the answer", e);
            }
        } else {
            human.accept(answer);
        }
        out.flush();
    }
}
