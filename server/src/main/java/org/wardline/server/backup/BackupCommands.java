package org.wardline.server.backup;

import org.wardline.protocol.Secret;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;

/**
 * {@code wardline admin backup}, {@code restore --verify | --into} and {@code backup-key generate}: operator commands
 * on the server host.
 */
public final class BackupCommands {
    static final String PASSPHRASE_ENV = "WARDLINE_BACKUP_PASSPHRASE";
    static final int EXIT_FAILED_VERIFICATION = 3;
    static final int EXIT_REFUSED = 4;

    private BackupCommands() {
    }

    /** {@code --config FILE}, or a dev data directory (default {@code ./wardline-data}). */
    static final class Source {
        @Option(names = "--config", description = "Production configuration file (default: the dev installation).")
        Path config;
        @Option(names = "--data-dir", description = "A dev installation's data directory (default: ./"
                + InstallationSource.DEV_DATA_DIR + ", as ./wardline dev lays it out).")
        Path dataDir;

        InstallationSource open(PrintWriter out) {
            return InstallationSource.resolve(config, dataDir, System.getenv(), out);
        }
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = "Write an encrypted, signed backup: a logical dump of every table, the sealed key files and "
                    + "every stored object, encrypted to the configured recipient key (backup.recipientKey, or "
                    + "--recipient-key) or under a passphrase (--passphrase-file or $" + PASSPHRASE_ENV + "), and "
                    + "signed with the audit key. Exit 0 when written, " + EXIT_REFUSED + " when refused.")
    public static final class Backup implements Callable<Integer> {
        @ArgGroup(exclusive = true)
        Source source = new Source();
        @Option(names = "--to", description = "A new or empty directory, or s3://bucket/prefix (default: backup.destination).")
        String to;
        @Option(names = "--recipient-key", description = "Public recipient keyset file (default: backup.recipientKey).")
        Path recipientKey;
        @Option(names = "--passphrase-file", description = "File holding the backup passphrase (default: $" + PASSPHRASE_ENV
                + " when no recipient key is configured).")
        Path passphraseFile;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            if (passphraseFile != null && recipientKey != null) {
                throw new ParameterException(spec.commandLine(), "give --passphrase-file or --recipient-key, not both");
            }
            Secret<String> fromFile = passphraseFile == null ? null : passphrase(passphraseFile, spec);
            try (InstallationSource src = (source == null ? new Source() : source).open(out)) {
                Installation installation = src.installation();
                BackupCredentials.Seal seal = seal(installation, fromFile);
                String where = to != null ? to : installation.config().backup().destination();
                if (where == null) {
                    throw new ParameterException(spec.commandLine(), "give --to DIR or s3://bucket/prefix (or configure backup.destination)");
                }
                BackupWriter.Written written = new BackupWriter(installation)
                        .write(store(installation, where, true, spec), seal);
                out.println(written.summary());
                return 0;
            } catch (BackupException e) {
                return refused(e);
            }
        }

        private BackupCredentials.Seal seal(Installation installation, Secret<String> fromFile) throws IOException {
            if (fromFile != null) {
                return new BackupCredentials.Passphrase(fromFile);
            }
            Path recipient = recipientKey != null ? recipientKey : installation.config().backup().recipientKey();
            if (recipient != null) {
                spec.commandLine().getOut().println("encrypting to the recipient key in " + recipient);
                return new BackupCredentials.Recipient(Files.readString(recipient, StandardCharsets.UTF_8));
            }
            return new BackupCredentials.Passphrase(passphrase(null, spec));
        }

        private int refused(BackupException e) {
            spec.commandLine().getErr().println("wardline: backup refused: " + e.getMessage());
            return EXIT_REFUSED;
        }
    }

    /** {@code --verify} or {@code --into}. */
    static final class Mode {
        @Option(names = "--verify", required = true, description = "Restore into a scratch database and bucket and check everything; change nothing.")
        boolean verify;
        @Option(names = "--into", required = true, description = "Disaster recovery: verify, then restore into the configured, "
                + "EMPTY database, buckets and key-file places (refused when any holds data).")
        boolean into;
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "--verify: restore a backup into a scratch database and bucket and check the signature, the key, "
                    + "every part and object hash, the row counts and the audit chain. --into: the same, then restore into "
                    + "the configured empty installation and check it again there. Exit 0 when every check passes, "
                    + EXIT_FAILED_VERIFICATION + " when any fails (each failure is named, nothing is restored), "
                    + EXIT_REFUSED + " when refused (a non-empty target, a key that does not fit).")
    public static final class Restore implements Callable<Integer> {
        @ArgGroup(exclusive = true)
        Source source = new Source();
        @ArgGroup(exclusive = true, multiplicity = "1")
        Mode mode;
        @Option(names = "--keep-scratch", description = "Keep the scratch database and bucket for inspection (--verify).")
        boolean keepScratch;
        @Option(names = "--passphrase-file", description = "File holding the backup passphrase (default: $" + PASSPHRASE_ENV + ").")
        Path passphraseFile;
        @Option(names = "--key-file", description = "The offline private recipient keyset, for a backup encrypted to a recipient key.")
        Path keyFile;
        @Option(names = "--audit-certificate", description = "The audit certificate the backup must be signed by "
                + "(default: the installation's own; needed for --into on a new host).")
        Path auditCertificate;
        @Parameters(index = "0", paramLabel = "BACKUP", description = "The backup's directory or s3://bucket/prefix.")
        String backup;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            BackupCredentials.Open credentials = keyFile != null
                    ? new BackupCredentials.KeyFile(Secret.of(Files.readString(keyFile, StandardCharsets.UTF_8)))
                    : new BackupCredentials.Passphrase(passphrase(passphraseFile, spec));
            try (InstallationSource src = (source == null ? new Source() : source).open(out)) {
                Installation installation = src.installation();
                Path certificate = auditCertificate != null ? auditCertificate : installation.auditCertificate();
                if (!Files.isRegularFile(certificate)) {
                    throw new ParameterException(spec.commandLine(), "no audit certificate at " + certificate
                            + ": give --audit-certificate (the audit-signing.crt kept with the backup key)");
                }
                BackupStore store = store(installation, backup, false, spec);
                if (mode.into) {
                    DisasterRestore.Result result = new DisasterRestore(installation).restore(store, credentials, certificate);
                    out.println(result.summary());
                    return result.restored() ? 0 : EXIT_FAILED_VERIFICATION;
                }
                RestoreVerifier.Report report = new RestoreVerifier(installation)
                        .verify(store, credentials, keepScratch, certificate);
                out.println(report.summary());
                if (report.scratchDatabase() != null) {
                    out.println("kept scratch database " + report.scratchDatabase() + " and bucket " + report.scratchBucket());
                }
                return report.passed() ? 0 : EXIT_FAILED_VERIFICATION;
            } catch (BackupException e) {
                spec.commandLine().getErr().println("wardline: restore refused: " + e.getMessage());
                return EXIT_REFUSED;
            }
        }
    }

    @Command(name = "backup-key", mixinStandardHelpOptions = true, description = "Manage the backup recipient key.",
            subcommands = GenerateKey.class)
    public static final class BackupKeyCommand {
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Write a new backup recipient key pair: the public keyset (for backup.recipientKey in the server "
                    + "configuration) and the private keyset (owner-only; keep it OFFLINE, it is needed only to restore).")
    static final class GenerateKey implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "Directory to write backup-recipient.public.json and "
                + "backup-recipient.private.json into (must not hold them already).")
        Path dir;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Path pub = dir.resolve("backup-recipient.public.json");
            Path priv = dir.resolve("backup-recipient.private.json");
            if (Files.exists(pub) || Files.exists(priv)) {
                throw new ParameterException(spec.commandLine(), "a backup recipient key already exists in " + dir
                        + ": move it away first (backups made to it need its private key to restore)");
            }
            Files.createDirectories(dir);
            RecipientKey.Pair pair = RecipientKey.generate();
            Files.createFile(priv, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(priv, pair.privateKeyset().reveal(), StandardCharsets.UTF_8);
            Files.writeString(pub, pair.publicKeyset(), StandardCharsets.UTF_8);
            PrintWriter out = spec.commandLine().getOut();
            out.println("backup recipient key " + pair.keyId() + ":");
            out.println("  public  " + pub.toAbsolutePath() + "  -> backup.recipientKey in the server configuration");
            out.println("  private " + priv.toAbsolutePath() + "  (owner-only) -> keep OFFLINE; restore --key-file needs it");
            return 0;
        }
    }

    static BackupStore store(Installation installation, String where, boolean forWriting, CommandSpec spec) throws IOException {
        if (where.startsWith("s3://")) {
            String[] bucketAndPrefix = S3BackupStore.parse(where);
            return new S3BackupStore(installation.s3(), bucketAndPrefix[0], bucketAndPrefix[1]);
        }
        Path dir = Path.of(where);
        if (forWriting) {
            if (Files.exists(dir) && (!Files.isDirectory(dir) || Files.list(dir).findAny().isPresent())) {
                throw new ParameterException(spec.commandLine(), "--to must be a new or empty directory: " + where);
            }
            Files.createDirectories(dir);
        } else if (!Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), "no backup directory at " + where);
        }
        return new DirectoryBackupStore(dir);
    }

    static Secret<String> passphrase(Path file, CommandSpec spec) throws IOException {
        String value = file != null ? Files.readString(file, StandardCharsets.UTF_8).strip() : System.getenv(PASSPHRASE_ENV);
        if (value == null || value.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give the backup passphrase with --passphrase-file or $"
                    + PASSPHRASE_ENV + " (or --key-file / --recipient-key for a recipient key)");
        }
        if (value.length() < BackupKey.MIN_PASSPHRASE) {
            throw new ParameterException(spec.commandLine(), "the backup passphrase must have at least "
                    + BackupKey.MIN_PASSPHRASE + " characters");
        }
        return Secret.of(value);
    }
}
