package org.wardline.server.cli;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.wardline.storage.crypto.DataKeyStore;
import org.wardline.storage.crypto.KeyRotation;
import org.wardline.storage.crypto.LocalKeystoreKeyProvider;
import org.wardline.storage.db.Database;
import org.wardline.storage.db.DatabaseSettings;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code wardline keys rotate}: a new key-encryption key, and every data key re-wrapped under it. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage the envelope-encryption keys.",
        subcommands = KeysCommand.Rotate.class)
public final class KeysCommand {

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Create a new key-encryption key and re-wrap every data key under it, without touching "
                    + "stored objects. Resumable: run it again after an interruption. Exit 0 when every key was "
                    + "re-wrapped, 3 when some could not be (they are listed by object ID).")
    static final class Rotate implements Callable<Integer> {
        @ArgGroup(multiplicity = "1")
        Target target;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Target.Db db = target.database();
            var keys = LocalKeystoreKeyProvider.open(target.keystore(),
                    target.keystorePassphrase().map(String::toCharArray));
            Vertx vertx = Vertx.vertx();
            Pool pool = Database.createPool(vertx, DatabaseSettings.of(db.host(), db.port(), db.name(), db.user(),
                    db.password())
                    .withSsl(DatabaseSettings.SslMode.valueOf(db.sslMode().toUpperCase(java.util.Locale.ROOT).replace('-', '_')),
                            Optional.empty()));
            try {
                KeyRotation.Result result = new KeyRotation(keys, new DataKeyStore(pool)).rotate();
                spec.commandLine().getOut().println("rotated to key-encryption key " + result.target() + ": "
                        + result.rewrapped() + " data keys re-wrapped" + (result.failed().isEmpty() ? ""
                        : ", " + result.failed().size() + " failed: " + result.failed()));
                return result.failed().isEmpty() ? 0 : 3;
            } finally {
                pool.close();
                vertx.close();
            }
        }
    }
}
