package org.wardline.server.testing;

import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.server.auth.WardlineApi;

import java.net.http.HttpRequest;
import java.util.UUID;

import javax.net.ssl.SSLContext;

/**
 * An enrolled device whose user is signed in on it: the SDK identity (which sends the session's bearer token
 * on every SDK call) and the test account behind it (for TOTP codes when a test steps up).
 */
public record SignedInDevice(DeviceIdentity identity, WardlineApi.Account account) {
    public SSLContext sslContext() {
        return identity.sslContext();
    }

    /** The access token of the device-bound session, for requests a test builds itself. */
    public String bearer() {
        return identity.accessToken().reveal();
    }

    /** {@code request} with this device's bearer token. */
    public HttpRequest.Builder authorize(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + bearer());
    }

    public UUID userId() {
        return identity.userId();
    }

    public UUID deviceId() {
        return identity.deviceId();
    }
}
