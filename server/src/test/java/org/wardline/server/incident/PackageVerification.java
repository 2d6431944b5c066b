package org.wardline.server.incident;

import org.wardline.server.WardlineServer;
import org.wardline.server.audit.AuditCommand;
import org.wardline.server.audit.AuditKeys;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs {@code wardline audit verify --package FILE --certificate CERT} in-process: its exit code and what it printed. */
final class PackageVerification {
    private PackageVerification() {
    }

    static String verify(WardlineServer server, Path file) {
        StringWriter out = new StringWriter();
        picocli.CommandLine cli = new picocli.CommandLine(new AuditCommand());
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("verify", "--package", file.toString(), "--certificate",
                server.config().pki().directory().resolve(AuditKeys.CERTIFICATE).toString());
        return code + " " + out;
    }
}
