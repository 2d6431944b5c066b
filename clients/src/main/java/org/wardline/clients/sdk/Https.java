package org.wardline.clients.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** The JDK HTTP client with Wardline's TLS settings, and the JSON calls the SDK makes. */
final class Https {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Https() {
    }

    static HttpClient client(SSLContext ctx) {
        SSLParameters params = ctx.getDefaultSSLParameters();
        params.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        return HttpClient.newBuilder().sslContext(ctx).sslParameters(params).connectTimeout(TIMEOUT)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    static String get(HttpClient client, URI uri) {
        HttpResponse<String> r = send(client, HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build());
        return r.body();
    }

    static JsonNode getJson(HttpClient client, URI uri) {
        return parse(get(client, uri));
    }

    static JsonNode postJson(HttpClient client, URI uri, ObjectNode body) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return parse(send(client, request).body());
    }

    /** Sends a request; a 4xx/5xx answer becomes a {@link WardlineClientException} with the server's code. */
    static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        HttpResponse<String> r;
        try {
            r = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (javax.net.ssl.SSLException e) {
            throw new WardlineClientException("client.tls", "TLS with the server failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new WardlineClientException("client.io", "cannot reach the server: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WardlineClientException("client.interrupted", "interrupted", e);
        }
        if (r.statusCode() >= 400) {
            throw failure(r.statusCode(), r.body());
        }
        return r;
    }

    /** The exception for an error answer: the server's code and message when the body carries them. */
    static WardlineClientException failure(int status, String body) {
        String code = "http." + status;
        String message = "the server refused the request (" + status + ")";
        JsonNode error = null;
        try {
            error = JSON.readTree(body);
            if (error != null && error.hasNonNull("error")) {
                code = error.get("error").asText();
                message = error.path("message").asText(message);
            }
        } catch (IOException notJson) {
            // Keep the generic code.
        }
        return new WardlineClientException(code, status, message, null, error);
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new WardlineClientException("client.protocol", "the server's answer is not JSON", e);
        }
    }
}
