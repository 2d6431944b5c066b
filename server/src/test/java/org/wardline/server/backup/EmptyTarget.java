package org.wardline.server.backup;

import org.wardline.embedded.EmbeddedS3Server;
import org.wardline.embedded.FreePorts;
import org.wardline.server.dev.DevSecrets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * An empty installation to restore into: a new database on the source's PostgreSQL, a new s3proxy, and a new data
 * directory holding only the source's dev secrets (the same PKI and keystore passphrases an operator's configuration
 * would give the new host).
 */
final class EmptyTarget implements AutoCloseable {
    private final Installation source;
    private final String database;
    private final EmbeddedS3Server s3;
    private final Installation installation;

    EmptyTarget(Installation source, Path sourceDataDir, Path dir) throws Exception {
        this.source = source;
        Files.createDirectories(dir);
        Files.copy(sourceDataDir.resolve("dev-secrets.properties"), dir.resolve("dev-secrets.properties"));
        database = "wardline_target_" + HexFormat.of().formatHex(BackupKey.newSalt(), 0, 5);
        try (Connection c = source.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        s3 = EmbeddedS3Server.start(dir.resolve("s3"), FreePorts.pick(), DevSecrets.read(dir, "s3.accessKey"),
                DevSecrets.read(dir, "s3.secretKey"));
        int port = ((org.postgresql.ds.PGSimpleDataSource) source.dataSource()).getPortNumbers()[0];
        installation = new Installation(InstallationSource.devConfig(dir, port, database, s3.endpoint(), Map.of()));
    }

    Installation installation() {
        return installation;
    }

    /** True when nothing at all was restored: no table, no object, no key file. */
    boolean untouched() throws Exception {
        try (Connection c = installation.dataSource().getConnection()) {
            if (!BackupWriter.tableNames(c).isEmpty()) {
                return false;
            }
        }
        return RestoreTarget.problems(installation, source.buckets()).isEmpty()
                && !Files.exists(installation.config().pki().directory());
    }

    List<String> problems() throws Exception {
        return RestoreTarget.problems(installation, source.buckets());
    }

    @Override
    public void close() throws Exception {
        s3.close();
        try (Connection c = source.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }
}
