package org.wardline.clients.cli;

import org.wardline.clients.sdk.AuthenticatorSetup;
import org.wardline.protocol.Secret;

import java.io.PrintWriter;
import java.util.List;

/** Sets up an authenticator at the terminal: the QR code and otpauth URI, the first code, the recovery codes once. */
final class TerminalAuthenticatorSetup implements AuthenticatorSetup {
    private final PrintWriter out;
    private final SecretInput input;

    TerminalAuthenticatorSetup(PrintWriter out, SecretInput input) {
        this.out = out;
        this.input = input;
    }

    @Override
    public Secret<String> confirm(Secret<String> otpauthUri, Secret<String> secret) {
        out.println("This account needs an authenticator app (a second factor). Scan this QR code with it:");
        out.println();
        out.print(TerminalQr.draw(otpauthUri.reveal()));
        out.println();
        out.println("or add this URI to it: " + otpauthUri.reveal());
        out.println("(or type the key by hand: " + secret.reveal() + ")");
        out.flush();
        return input.read("Code the authenticator app shows", LoginCommand.CODE_ENV);
    }

    @Override
    public void recoveryCodes(List<Secret<String>> codes) {
        out.println("Authenticator set up. Recovery codes, each usable once if the phone is lost;");
        out.println("they are shown only now: print them or keep them in a password manager.");
        codes.forEach(c -> out.println("  " + c.reveal()));
        out.flush();
    }
}
