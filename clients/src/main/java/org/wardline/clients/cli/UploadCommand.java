package org.wardline.clients.cli;

import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.clients.sdk.Files;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code wardline upload FILE}: upload a file; prints its ID and state. */
@Command(name = "upload", mixinStandardHelpOptions = true,
        description = {"Upload a file to Wardline over this device's mutual-TLS connection.",
                "The server scans it for malware and checks it against policy before keeping it.",
                "Prints the file ID (use it to share the file) and its state: committed, or quarantined (held for review)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:uploaded", "1:failed here (no such file, server unreachable, bad identity …)",
                "2:wrong usage", "3:refused by the server (malware, blocked by policy, too large …)"})
final class UploadCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The file to upload.")
    Path file;

    @Option(names = "--type", paramLabel = "CONTENT-TYPE", description = "Content type to declare (default: guessed from the name).")
    String contentType;

    @Option(names = "--justification", paramLabel = "TEXT",
            description = "Why this file must be sent, when policy asks for a justification.")
    String justification;

    @Mixin
    IdentityOptions identity;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Files.requireReadable(file);
        DeviceIdentity device = DeviceIdentity.load(identity.identity(), identity.passphrase(false));
        Files.StoredFile stored = Files.upload(device, file, contentType, justification);
        print(spec.commandLine().getOut(), file, stored);
        return 0;
    }

    static void print(java.io.PrintWriter out, Path file, Files.StoredFile stored) {
        out.println("uploaded " + file.getFileName() + ": file ID " + stored.id() + ", state " + stored.state()
                + (stored.size() >= 0 ? ", " + stored.size() + " bytes" : ""));
        if (!stored.committed()) {
            out.println("note: the file is held for review (" + stored.state() + "); it cannot be shared until it is released");
        }
    }
}
