package org.wardline.server.rbac;

import org.wardline.protocol.ErrorCode;
import org.wardline.server.account.Role;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Who may change whose access, in one place: nobody grants a role to themselves; a privileged role is granted
 * only to someone who holds an elevation to it that a second administrator (not the one granting) approved; an
 * elevation is approved by someone other than its requester; an access review is signed off by nobody it lists
 * as changed. The routes ask these rules and the role matrix test walks them.
 */
public final class SeparationOfDuties {
    /** Roles that read the audit trail, hold PHI keys or change access: never granted by one person alone. */
    public static final Set<Role> PRIVILEGED = Set.copyOf(EnumSet.of(Role.ADMIN, Role.SECURITY_OFFICER, Role.AUDITOR,
            Role.RECORDS_CUSTODIAN));

    private SeparationOfDuties() {
    }

    /**
     * Whether {@code actor} may change {@code subject}'s roles from {@code before} to {@code after}.
     *
     * @param approvedByAnother the privileged roles {@code subject} holds an elevation to, approved by someone
     *                          other than {@code actor}
     * @return the refusal, or empty when the change is allowed
     */
    public static Optional<ErrorCode> roleChange(UUID actor, UUID subject, Set<Role> before, Set<Role> after,
                                                 Set<Role> approvedByAnother) {
        Set<Role> added = EnumSet.noneOf(Role.class);
        added.addAll(after);
        added.removeAll(before);
        if (added.isEmpty()) {
            return Optional.empty();
        }
        if (actor.equals(subject)) {
            return Optional.of(ErrorCode.ROLE_SELF_GRANT);
        }
        for (Role role : added) {
            if (PRIVILEGED.contains(role) && !approvedByAnother.contains(role)) {
                return Optional.of(ErrorCode.ROLE_APPROVAL_REQUIRED);
            }
        }
        return Optional.empty();
    }

    /** Roles that approve elevations: while nobody but the creator holds one, the two-person rule cannot be met yet. */
    public static final Set<Role> APPROVERS = Set.copyOf(EnumSet.of(Role.ADMIN, Role.SECURITY_OFFICER));

    /**
     * Whether an account may be created with {@code roles}. A new account holds no elevation, so a privileged role is
     * refused ({@code role.approval_required}: create it without, then grant the role through an approved
     * elevation) — except on the first day, while no active account other than the creator holds an approving role
     * ({@code anotherApproverExists} false), when there is nobody yet who could approve.
     */
    public static Optional<ErrorCode> accountCreation(Set<Role> roles, boolean anotherApproverExists) {
        if (anotherApproverExists && roles.stream().anyMatch(PRIVILEGED::contains)) {
            return Optional.of(ErrorCode.ROLE_APPROVAL_REQUIRED);
        }
        return Optional.empty();
    }

    /** Whether {@code approver} may approve an elevation {@code requester} asked for. */
    public static boolean mayApproveElevation(UUID approver, UUID requester) {
        return !approver.equals(requester);
    }

    /** Whether {@code signer} may sign off a review that lists {@code changed} as users whose access changed. */
    public static Optional<ErrorCode> signOff(UUID signer, Set<UUID> changed) {
        return changed.contains(signer) ? Optional.of(ErrorCode.REVIEW_SIGNER_LISTED) : Optional.empty();
    }
}
