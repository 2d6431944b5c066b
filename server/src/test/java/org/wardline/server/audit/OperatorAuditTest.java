package org.wardline.server.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.wardline.server.MainAccess;
import org.wardline.server.testing.WardlineServerExtension;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code wardline audit verify} and {@code export} run by an operator write their own entries (who, the range, the
 * result) into the trail the server writes, which stays intact; an export whose entry cannot be written exports nothing.
 */
class OperatorAuditTest {
    @RegisterExtension
    static final WardlineServerExtension WARDLINE = new WardlineServerExtension();

    @TempDir
    Path scratch;

    @Test
    void verifyIsRecordedWithItsResultAndTheOperator() throws Exception {
        Run run = cli("audit", "verify", "--data-dir", WARDLINE.dataDir().toString());
        assertThat(run.exit()).as(run.text()).isZero();
        assertThat(run.text()).contains("audit trail intact");

        Row entry = last("audit.verified");
        JsonObject details = new JsonObject(entry.getString("details"));
        assertThat(entry.getString("outcome")).isEqualTo("success");
        assertThat(details.getString("via")).isEqualTo("CLI");
        assertThat(details.getString("result")).isEqualTo("intact");
        assertThat(details.getString("operator")).isEqualTo(System.getProperty("user.name"));
        assertThat(details.getLong("entriesChecked")).isPositive();

        Run again = cli("audit", "verify", "--data-dir", WARDLINE.dataDir().toString());
        assertThat(again.text()).as("the CLI's entry joins the chain without breaking it").contains("audit trail intact");
    }

    @Test
    void exportIsRecordedWithItsRangeBeforeAndItsCountAfter() throws Exception {
        Path out = scratch.resolve("trail.jsonl");
        Run run = cli("audit", "export", "--data-dir", WARDLINE.dataDir().toString(), "--from", "2020-01-01",
                "--to", "2100-01-01", "-o", out.toString());
        assertThat(run.exit()).as(run.text()).isZero();
        long lines = Files.readAllLines(out).size();

        JsonObject asked = new JsonObject(last("audit.export.requested").getString("details"));
        assertThat(asked.getString("from")).isEqualTo("2020-01-01T00:00:00Z");
        assertThat(asked.getString("to")).isEqualTo("2100-01-01T00:00:00Z");
        assertThat(asked.getString("format")).isEqualTo("JSONL");
        assertThat(asked.getString("via")).isEqualTo("CLI");
        JsonObject done = new JsonObject(last("audit.exported").getString("details"));
        assertThat(done.getLong("entries")).isEqualTo(lines);
        assertThat(Files.readString(out)).as("the export holds its own request").contains("audit.export.requested");
    }

    @Test
    void anExportWhoseEntryCannotBeWrittenExportsNothing() throws Exception {
        Path out = scratch.resolve("refused.jsonl");
        SqlConnection holder = await(WARDLINE.server().database().pool().getConnection());
        Run run;
        try {
            Transaction tx = await(holder.begin());
            await(holder.query("SELECT last_seq FROM audit_chain_head WHERE id = 1 FOR UPDATE").execute());
            run = cli("audit", "export", "--data-dir", WARDLINE.dataDir().toString(), "--from", "2020-01-01",
                    "--to", "2100-01-01", "-o", out.toString());
            await(tx.rollback());
        } finally {
            holder.close();
        }
        assertThat(run.exit()).as(run.text()).isEqualTo(AuditCommand.NOT_RECORDED);
        assertThat(run.text()).contains("export refused").contains("nothing was exported");
        assertThat(out).doesNotExist();
    }

    private record Run(int exit, String text) {
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = MainAccess.run(out, args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8));
    }

    private static Row last(String action) throws Exception {
        var rows = await(WARDLINE.server().database().pool().preparedQuery(
                "SELECT outcome, details FROM audit_entries WHERE action = $1 ORDER BY seq DESC LIMIT 1")
                .execute(io.vertx.sqlclient.Tuple.of(action)));
        assertThat(rows.size()).as("an entry %s", action).isEqualTo(1);
        return rows.iterator().next();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
