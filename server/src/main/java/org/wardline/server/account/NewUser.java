package org.wardline.server.account;

import org.wardline.protocol.Secret;

import java.time.LocalDate;
import java.util.Set;

/** What an administrator (or the bootstrap flow) supplies to create an account; the password may be absent for SSO-only accounts. */
public record NewUser(String username, String email, String displayName, Secret<String> password,
                      LocalDate trainingExpiresOn, Set<Role> roles) {
}
