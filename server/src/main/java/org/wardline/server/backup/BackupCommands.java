package org.wardline.server.backup;

import org.wardline.protocol.Secret;
import org.wardline.server.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code wardline admin backup} and {@code wardline admin restore --verify}: operator commands on the server host. */
public final class BackupCommands {
    static final String PASSPHRASE_ENV = "WARDLINE_BACKUP_PASSPHRASE";
    static final int EXIT_FAILED_VERIFICATION = 3;

    private BackupCommands() {
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = "Write an encrypted, signed backup: a logical dump of every table, the wrapped key files and "
                    + "every stored object, encrypted under a key derived from the backup passphrase (file, or "
                    + PASSPHRASE_ENV + ") and signed with the audit key.")
    public static final class Backup implements Callable<Integer> {
        @Option(names = "--config", required = true, description = "Production configuration file.")
        Path config;
        @Option(names = "--to", required = true, description = "A new or empty directory, or s3://bucket/prefix.")
        String to;
        @Option(names = "--passphrase-file", description = "File holding the backup passphrase (default: $" + PASSPHRASE_ENV + ").")
        Path passphraseFile;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Secret<String> passphrase = passphrase(passphraseFile, spec);
            Installation installation = new Installation(ConfigLoader.load(config, System.getenv()));
            BackupWriter.Written written = new BackupWriter(installation).write(store(installation, to, true, spec), passphrase);
            spec.commandLine().getOut().println(written.summary());
            return 0;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "With --verify: restore a backup into a scratch database and bucket and check the signature, "
                    + "every part and object hash, the row counts and the audit chain. Exit 0 when every check passes, "
                    + EXIT_FAILED_VERIFICATION + " when any fails (each failure is named).")
    public static final class Restore implements Callable<Integer> {
        @Option(names = "--config", required = true, description = "Production configuration file.")
        Path config;
        @Option(names = "--verify", required = true, description = "Verify into scratch storage (the only mode so far).")
        boolean verify;
        @Option(names = "--keep-scratch", description = "Keep the scratch database and bucket for inspection.")
        boolean keepScratch;
        @Option(names = "--passphrase-file", description = "File holding the backup passphrase (default: $" + PASSPHRASE_ENV + ").")
        Path passphraseFile;
        @Parameters(index = "0", paramLabel = "BACKUP", description = "The backup's directory or s3://bucket/prefix.")
        String backup;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Secret<String> passphrase = passphrase(passphraseFile, spec);
            Installation installation = new Installation(ConfigLoader.load(config, System.getenv()));
            RestoreVerifier.Report report = new RestoreVerifier(installation)
                    .verify(store(installation, backup, false, spec), passphrase, keepScratch);
            spec.commandLine().getOut().println(report.summary());
            if (report.scratchDatabase() != null) {
                spec.commandLine().getOut().println("kept scratch database " + report.scratchDatabase() + " and bucket "
                        + report.scratchBucket());
            }
            return report.passed() ? 0 : EXIT_FAILED_VERIFICATION;
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
            throw new ParameterException(spec.commandLine(), "give the backup passphrase with --passphrase-file or $" + PASSPHRASE_ENV);
        }
        if (value.length() < BackupKey.MIN_PASSPHRASE) {
            throw new ParameterException(spec.commandLine(), "the backup passphrase must have at least "
                    + BackupKey.MIN_PASSPHRASE + " characters");
        }
        return Secret.of(value);
    }
}
