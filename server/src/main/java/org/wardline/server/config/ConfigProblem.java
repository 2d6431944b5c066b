package org.wardline.server.config;

/** One thing wrong with a configuration: where ({@code storage.s3.endpoint}) and what ({@code required}). */
public record ConfigProblem(String path, String message) {
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
