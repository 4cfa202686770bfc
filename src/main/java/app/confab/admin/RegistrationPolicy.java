package app.confab.admin;

import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import app.confab.account.RegistrationGate;
import app.confab.platform.ApiException;
import app.confab.platform.ErrorCode;

/**
 * The registration policy: {@code open} (anyone), {@code invite} (a valid invite token, whose use
 * is counted here), {@code closed} (nobody, invites included); and the allowed username pattern.
 * The first account of an empty deployment is always admitted: somebody must be able to claim it.
 */
@Component
class RegistrationPolicy implements RegistrationGate {

    private final SettingsService settings;
    private final InviteRepository invites;

    RegistrationPolicy(SettingsService settings, InviteRepository invites) {
        this.settings = settings;
        this.invites = invites;
    }

    @Override
    public void admit(String username, String inviteToken, boolean firstAccount) {
        if (firstAccount) {
            return;
        }
        AdminSettings current = settings.current();
        switch (current.registration()) {
            case "closed" -> throw new ApiException(ErrorCode.REGISTRATION_CLOSED, "Registration is closed on this server");
            case "invite" -> {
                if (inviteToken == null || inviteToken.isBlank()) {
                    throw new ApiException(ErrorCode.INVITE_REQUIRED, "Registration needs an invitation on this server");
                }
                checkPattern(current, username);
                if (inviteToken.length() > 100 || !invites.consume(inviteToken)) {
                    throw new ApiException(ErrorCode.INVITE_INVALID, "This invitation is not valid, used up or expired");
                }
            }
            default -> checkPattern(current, username);
        }
    }

    private static void checkPattern(AdminSettings current, String username) {
        String pattern = current.allowedUsernamePattern();
        if (pattern != null && !Pattern.compile(pattern).matcher(username).matches()) {
            throw ApiException.validation("username", "This username is not allowed on this server");
        }
    }
}
