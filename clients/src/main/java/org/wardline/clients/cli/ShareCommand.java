package org.wardline.clients.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.clients.sdk.Files;
import org.wardline.clients.sdk.ShareLinks;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code wardline share FILE --to EMAIL | --phone NUMBER …}, {@code share list}, {@code share revoke ID}, {@code share unlock ID}. */
@Command(name = "share", mixinStandardHelpOptions = true,
        description = {"Share a file with one external recipient (a patient, a carer) through an expiring link.",
                "Uploads FILE, creates the link and prints it once.",
                "The recipient opens it and enters a one-time code: emailed to them (--to), or given to them by you (--phone).",
                "Also: `wardline share list`, `wardline share revoke ID` and `wardline share unlock ID`."},
        subcommands = {ShareCommand.ListLinks.class, ShareCommand.Revoke.class, ShareCommand.Unlock.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:link created", "1:failed here (no such file, server unreachable, bad identity …)",
                "2:wrong usage", "3:refused by the server (malware, blocked by policy, file not shareable …)"})
final class ShareCommand implements Callable<Integer> {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,5})\\s*([hd]?)");

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The file to share.")
    Path file;

    @Option(names = "--to", paramLabel = "EMAIL", description = "The recipient's email address (the code is emailed there).")
    String email;

    @Option(names = "--phone", paramLabel = "NUMBER",
            description = "The recipient's phone number; you are shown the code to pass on to them.")
    String phone;

    @Option(names = "--expires", paramLabel = "DURATION", defaultValue = "72h",
            description = "How long the link works: hours (72h) or days (3d); default ${DEFAULT-VALUE}.")
    String expires;

    @Option(names = "--max-opens", paramLabel = "N", description = "How many times the link may be opened (server default if absent).")
    Integer maxOpens;

    @Option(names = "--view-only", description = "The recipient may only view watermarked pages, not download the file.")
    boolean viewOnly;

    @Option(names = "--justification", paramLabel = "TEXT", description = "Why you are sharing it, when policy asks for a justification.")
    String justification;

    @Mixin
    IdentityOptions identity;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (file == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "say which file to share: wardline share FILE --to EMAIL (or --phone NUMBER)");
        }
        if ((email == null) == (phone == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give exactly one recipient: --to EMAIL or --phone NUMBER");
        }
        int hours = hours(expires);
        if (maxOpens != null && maxOpens < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-opens must be at least 1");
        }
        Files.requireReadable(file);
        DeviceIdentity device = DeviceIdentity.load(identity.identity(), identity.passphrase(false));
        PrintWriter out = spec.commandLine().getOut();
        Files.StoredFile stored = Files.upload(device, file, null, justification);
        UploadCommand.print(out, file, stored);
        ShareLinks.Recipient recipient = email != null ? ShareLinks.Recipient.email(email.strip())
                : ShareLinks.Recipient.phone(phone.strip());
        ShareLinks.Request request = ShareLinks.Request.of(stored.id(), recipient).withExpiresInHours(hours)
                .withMode(viewOnly ? ShareLinks.Mode.VIEW : ShareLinks.Mode.DOWNLOAD);
        if (maxOpens != null) {
            request = request.withMaxOpens(maxOpens);
        }
        if (justification != null) {
            request = request.withJustification(justification);
        }
        ShareLinks.Created link;
        try {
            link = ShareLinks.create(device, request);
        } catch (org.wardline.clients.sdk.WardlineClientException e) {
            withdraw(device, stored);
            if ("auth.step_up_required".equals(e.errorCode())) {
                throw new org.wardline.clients.sdk.WardlineClientException(e.errorCode(), e.httpStatus(),
                        "a share link needs a fresh second factor: run `wardline step-up`, then share again", e);
            }
            throw e;
        }
        out.println("share link " + link.id() + " (" + ("view".equals(link.mode()) ? "view only" : "view and download")
                + ", up to " + link.maxOpens() + " opens, expires " + link.expiresAt() + "):");
        out.println();
        out.println("  " + link.url());
        out.println();
        link.phoneCode().ifPresent(code -> {
            out.println("Code for the recipient: " + code);
            out.println("Give it to them yourself (read it out or text it), separately from the link.");
        });
        if (email != null) {
            out.println("When they open the link, a one-time code is emailed to the recipient.");
        }
        out.println("WARNING: this link grants access to the file. Send it only to the recipient; it is shown only now.");
        out.println("To withdraw it: wardline share revoke " + link.id());
        return 0;
    }

    /** A refused share keeps nothing: the upload made for it is taken back (a quarantined copy stays on the server). */
    private void withdraw(DeviceIdentity device, Files.StoredFile stored) {
        PrintWriter err = spec.commandLine().getErr();
        if (!"committed".equals(stored.state())) {
            err.println("the file " + stored.id() + " is " + stored.state() + " on the server, as the policy keeps it");
            return;
        }
        try {
            Files.withdraw(device, stored.id());
            err.println("the share was refused, so the uploaded file " + stored.id() + " was not kept");
        } catch (org.wardline.clients.sdk.WardlineClientException e) {
            err.println("the share was refused; the uploaded file " + stored.id() + " could not be taken back ("
                    + e.errorCode() + ")");
        }
    }

    /** {@code 72h}, {@code 3d} or a number of hours. */
    int hours(String value) {
        Matcher m = DURATION.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--expires takes hours or days, e.g. 72h or 3d (not \"" + value + "\")");
        }
        int n = Integer.parseInt(m.group(1));
        int h = "d".equals(m.group(2)) ? n * 24 : n;
        if (h < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--expires must be at least 1h");
        }
        return h;
    }

    /** {@code wardline share list [--json]}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List your share links: status, opens, expiry, the recipient (masked: p***@example.org) and the file.",
                    "No secrets are shown."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:listed", "1:failed here", "2:wrong usage", "3:refused by the server"})
    static final class ListLinks implements Callable<Integer> {
        @Option(names = "--json", description = "Print the server's JSON (with each link's open history).")
        boolean json;

        @Mixin
        IdentityOptions identity;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            DeviceIdentity device = DeviceIdentity.load(identity.identity(), identity.passphrase(false));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(ShareLinks.listJson(device)));
                return 0;
            }
            var links = ShareLinks.list(device);
            if (links.isEmpty()) {
                out.println("no share links");
                return 0;
            }
            out.printf("%-36s  %-9s  %-8s  %-5s  %-20s  %-24s  %s%n", "ID", "STATUS", "MODE", "OPENS", "EXPIRES",
                    "RECIPIENT", "FILE");
            for (ShareLinks.Link l : links) {
                out.printf("%-36s  %-9s  %-8s  %-5s  %-20s  %-24s  %s%n", l.id(), l.status(), l.mode(),
                        l.opens() + "/" + l.maxOpens(), l.expiresAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                        l.recipient().isEmpty() ? l.recipientKind() : l.recipient(),
                        l.fileName() == null ? "(file " + l.fileId() + ")" : l.fileName());
            }
            if (links.stream().anyMatch(l -> "locked".equals(l.status()))) {
                out.println();
                out.println("A locked link had too many wrong codes. If the recipient confirms it was them: wardline share unlock ID");
            }
            return 0;
        }
    }

    /** {@code wardline share revoke ID}. */
    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Withdraw a share link at once (also for a recipient who has it open). IDs: wardline share list.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:revoked", "1:failed here", "2:wrong usage", "3:refused by the server (no such link of yours …)"})
    static final class Revoke implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID", description = "The link's ID.")
        String id;

        @Mixin
        IdentityOptions identity;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            DeviceIdentity device = DeviceIdentity.load(identity.identity(), identity.passphrase(false));
            ShareLinks.revoke(device, id.strip());
            spec.commandLine().getOut().println("revoked share link " + id.strip() + "; it no longer opens");
            return 0;
        }
    }

    /** {@code wardline share unlock ID [--as-officer]}. */
    @Command(name = "unlock", mixinStandardHelpOptions = true,
            description = {"Lift the lock of a share link that locked after too many wrong codes (you were e-mailed).",
                    "Do it only once the recipient confirms the attempts were theirs; they then ask for a new code.",
                    "Needs a fresh second factor (wardline step-up). A security officer adds --as-officer for any link."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:unlocked, or was not locked", "1:failed here", "2:wrong usage",
                    "3:refused by the server (no such link of yours, step-up needed …)"})
    static final class Unlock implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID", description = "The link's ID (wardline share list, or the e-mail you got).")
        String id;

        @Option(names = "--as-officer", description = "As the security officer: lift the lock of anyone's link.")
        boolean officer;

        @Mixin
        IdentityOptions identity;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            DeviceIdentity device = DeviceIdentity.load(identity.identity(), identity.passphrase(false));
            boolean unlocked;
            try {
                unlocked = ShareLinks.unlock(device, id.strip(), officer);
            } catch (org.wardline.clients.sdk.WardlineClientException e) {
                if ("auth.step_up_required".equals(e.errorCode())) {
                    throw new org.wardline.clients.sdk.WardlineClientException(e.errorCode(), e.httpStatus(),
                            "unlocking a link needs a fresh second factor: run `wardline step-up`, then unlock again", e);
                }
                throw e;
            }
            spec.commandLine().getOut().println(unlocked
                    ? "unlocked share link " + id.strip() + "; the recipient can ask for a new code and open it"
                    : "share link " + id.strip() + " was not locked; nothing changed");
            return 0;
        }
    }
}
