package org.wardline.clients.cli;

import org.wardline.clients.sdk.DeviceIdentity;
import org.wardline.clients.sdk.Renewal;
import org.wardline.protocol.Secret;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code wardline renew}: renew this device's certificate with a new key pair. */
@Command(name = "renew", mixinStandardHelpOptions = true,
        description = "Renew this device's certificate over mutual TLS, with a new key pair generated here.")
final class RenewCommand implements Callable<Integer> {
    @Mixin
    IdentityOptions identity;

    @Option(names = "--if-needed", description = "Renew only when less than 10 days of validity are left.")
    boolean ifNeeded;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Secret<String> passphrase = identity.passphrase(false);
        DeviceIdentity current = DeviceIdentity.load(identity.identity(), passphrase);
        if (ifNeeded && !current.expiresWithin(Renewal.RECOMMENDED_MARGIN)) {
            spec.commandLine().getOut().println("certificate valid until " + current.notAfter() + "; no renewal needed");
            return 0;
        }
        DeviceIdentity next = Renewal.renew(current);
        next.save(identity.identity(), passphrase);
        spec.commandLine().getOut().println("renewed: certificate valid until " + next.notAfter());
        return 0;
    }
}
