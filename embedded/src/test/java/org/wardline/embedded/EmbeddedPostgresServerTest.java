package org.wardline.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedPostgresServerTest {
    @TempDir
    Path dir;

    @Test
    void theDevServersPostgresCommitsSynchronouslyWithFsync() throws Exception {
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir.resolve("postgres"));
             Connection c = pg.dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
            assertThat(setting(s, "synchronous_commit")).isEqualTo("on");
            assertThat(setting(s, "fsync")).isEqualTo("on");
        }
    }

    private static String setting(Statement s, String name) throws Exception {
        try (ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
