package org.wardline.clients.cli;

import org.wardline.clients.sdk.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.concurrent.Callable;

/** {@code wardline admin training record | list}: HIPAA training, without which clinical roles reach no PHI. */
@Command(name = "training", mixinStandardHelpOptions = true,
        description = "HIPAA training: roles that reach PHI work only while their training is current.",
        subcommands = {AdminTrainingCommand.Record.class, AdminTrainingCommand.ListTraining.class})
final class AdminTrainingCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "record", mixinStandardHelpOptions = true, description = "Record that USER completed the training.")
    static final class Record implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "USER", description = "Username or ID.")
        String user;
        @Option(names = "--until", paramLabel = "DATE", description = "Valid until (YYYY-MM-DD; default: one year from today).")
        LocalDate until;
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            Admin admin = session.admin();
            LocalDate expires = until != null ? until : LocalDate.now().plusYears(1);
            output.print(admin.recordTraining(AdminUsersCommand.resolve(admin, user), expires.toString()),
                    u -> output.out().println("training recorded for " + u.path("username").asText() + ", valid until "
                            + u.path("trainingExpiresOn").asText()));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every account's training: current, expired or none.")
    static final class ListTraining implements Callable<Integer> {
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            PrintWriter out = output.out();
            LocalDate today = LocalDate.now();
            output.print(session.admin().users(), a -> a.path("users").forEach(u -> {
                String until = u.path("trainingExpiresOn").asText(null);
                String state = until == null ? "none recorded" : LocalDate.parse(until).isBefore(today)
                        ? "EXPIRED on " + until : "current until " + until;
                out.println(u.path("username").asText() + "  " + state);
            }));
            return 0;
        }
    }
}
