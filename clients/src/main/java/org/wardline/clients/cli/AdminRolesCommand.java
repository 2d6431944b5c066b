package org.wardline.clients.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.wardline.clients.sdk.Admin;
import org.wardline.clients.sdk.WardlineClientException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;

/** {@code wardline admin roles grant | revoke USER ROLE}. */
@Command(name = "roles", mixinStandardHelpOptions = true, description = "Give a user a role, or take one away.",
        subcommands = {AdminRolesCommand.Grant.class, AdminRolesCommand.Revoke.class})
final class AdminRolesCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static JsonNode change(Admin admin, String user, String role, boolean grant) {
        UUID id = AdminUsersCommand.resolve(admin, user);
        JsonNode current = null;
        for (JsonNode u : admin.users().path("users")) {
            if (u.path("id").asText().equals(id.toString())) {
                current = u;
            }
        }
        if (current == null) {
            throw new WardlineClientException("admin.unknown_user", 404, "no user " + user, null);
        }
        Set<String> roles = new LinkedHashSet<>();
        current.path("roles").forEach(r -> roles.add(r.asText()));
        if (grant ? !roles.add(role) : !roles.remove(role)) {
            throw new WardlineClientException("admin.role_unchanged", 409,
                    user + (grant ? " already has the role " : " does not have the role ") + role, null);
        }
        return admin.setRoles(id, roles);
    }

    @Command(name = "grant", mixinStandardHelpOptions = true, description = "Give USER the role ROLE (their others stay).")
    static final class Grant implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "USER")
        String user;
        @Parameters(index = "1", paramLabel = "ROLE")
        String role;
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            output.print(change(session.admin(), user, role, true), u -> output.out().println(
                    "granted " + role + ": " + u.path("username").asText() + " now has " + AdminUsersCommand.roles(u)));
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Take the role ROLE from USER.")
    static final class Revoke implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "USER")
        String user;
        @Parameters(index = "1", paramLabel = "ROLE")
        String role;
        @Mixin
        AdminSession session;
        @Mixin
        JsonOutput output;

        @Override
        public Integer call() {
            output.print(change(session.admin(), user, role, false), u -> output.out().println(
                    "revoked " + role + ": " + u.path("username").asText() + " now has " + AdminUsersCommand.roles(u)));
            return 0;
        }
    }
}
