package org.wardline.clients.cli;

import org.wardline.clients.sdk.WardlineClientException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code wardline enroll | renew | whoami | login | logout | step-up | upload | share | chat | admin}: the device-side command line. */
@Command(name = "wardline", mixinStandardHelpOptions = true, version = "Wardline client 0.1.0",
        description = {"Wardline client: enroll this device and talk to a Wardline server.", IdentityOptions.WHERE},
        subcommands = {EnrollCommand.class, RenewCommand.class, WhoAmICommand.class, UploadCommand.class,
                ShareCommand.class, LoginCommand.class, LogoutCommand.class, StepUpCommand.class,
                org.wardline.clients.chat.ChatCommand.class, AdminCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:failed here (no such file, server unreachable, bad identity or passphrase …)",
                "2:wrong usage (see --help)", "3:refused by the server (the message says why)"})
public final class WardlineCli implements Runnable {
    static final int EXIT_REFUSED = 3;
    static final int EXIT_FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CliLogging.toFile(IdentityOptions.defaultHome().resolve("client.log"));
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests run it in-process with their own streams. */
    public static CommandLine commandLine() {
        CommandLine root = new CommandLine(new WardlineCli());
        stateWhereTheIdentityLives(root);
        return root.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof WardlineClientException w) {
                cmd.getErr().println("wardline: " + w.getMessage() + " [" + w.errorCode() + "]");
                return w.httpStatus() >= 400 ? EXIT_REFUSED : EXIT_FAILED;
            }
            cmd.getErr().println("wardline: " + e.getMessage());
            return EXIT_FAILED;
        });
    }

    /** Every command that uses the device identity says in its --help where it looks for it. */
    private static void stateWhereTheIdentityLives(CommandLine cl) {
        if (cl.getCommandSpec().findOption("--identity") != null) {
            cl.getCommandSpec().usageMessage().footer("%n" + IdentityOptions.WHERE);
        }
        cl.getSubcommands().values().forEach(WardlineCli::stateWhereTheIdentityLives);
    }

    /** Runs the command line with these streams and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    /** Runs the command line with these streams and exactly {@code env} as its environment variables. */
    public static int run(PrintWriter out, PrintWriter err, java.util.Map<String, String> env, String... args) {
        return CliEnvironment.with(env, () -> run(out, err, args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
