package app.confab.account;

/**
 * Decides whether a registration may go ahead (the deployment's registration policy, invites, the
 * allowed username pattern). Called inside the registering transaction, so an invite use it counts
 * is undone when the registration then fails.
 */
public interface RegistrationGate {

    /**
     * Throws an {@link app.confab.platform.ApiException} to refuse. {@code firstAccount}: the
     * deployment has no account yet (its first one becomes the administrator).
     */
    void admit(String username, String inviteToken, boolean firstAccount);
}
