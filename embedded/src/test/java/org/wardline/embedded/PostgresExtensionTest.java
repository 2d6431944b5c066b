package org.wardline.embedded;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.wardline.embedded.junit.PostgresExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresExtensionTest {
    @RegisterExtension
    static final PostgresExtension PG = new PostgresExtension();

    @RepeatedTest(2)
    void eachTestGetsAnEmptyDatabaseOfItsOwn() throws SQLException {
        try (Connection c = PG.dataSource().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("tables left by an earlier test").isZero();
            }
            s.execute("CREATE TABLE marker (id int PRIMARY KEY)");
            s.execute("INSERT INTO marker VALUES (1)");
            try (ResultSet rs = s.executeQuery("SELECT current_database(), inet_server_addr()::text")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(PG.database());
                assertThat(rs.getString(2)).startsWith("127.0.0.1");
            }
        }
    }
}
