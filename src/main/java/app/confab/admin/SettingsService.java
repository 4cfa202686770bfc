package app.confab.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.springframework.stereotype.Service;

import app.confab.platform.ApiException;
import app.confab.platform.AuditLog;
import tools.jackson.databind.ObjectMapper;

/** Reads and changes {@link AdminSettings}; every change is validated and audited with before and after. */
@Service
public class SettingsService {

    static final Set<String> REGISTRATION_MODES = Set.of("open", "invite", "closed");
    private static final Set<String> FIELDS = Set.of("registration", "allowedUsernamePattern", "messageRetentionDays",
            "maxUploadMb", "defaultStorageQuotaMb", "auditRetentionDays", "linkPreviews");

    private final SettingsRepository repository;
    private final ObjectMapper json;
    private final AuditLog audit;
    /** The server's own ceiling (MAX_FILE_MB, also the multipart limit): maxUploadMb may only lower it. */
    private final int maxUploadMbLimit;

    SettingsService(SettingsRepository repository, ObjectMapper json, AuditLog audit,
                    @org.springframework.beans.factory.annotation.Value("${confab.attachments.max-file-mb:25}") int maxUploadMbLimit) {
        this.maxUploadMbLimit = maxUploadMbLimit;
        this.repository = repository;
        this.json = json;
        this.audit = audit;
    }

    public AdminSettings current() {
        return repository.read(SettingsRepository.SETTINGS)
                .map(value -> json.readValue(value, AdminSettings.class))
                .orElse(AdminSettings.DEFAULTS);
    }

    /** A partial update: fields absent from {@code body} keep their value; null clears the optional ones. */
    AdminSettings update(java.util.UUID actorId, Map<String, Object> body) {
        if (body == null || body.isEmpty()) {
            throw ApiException.validation("body", "Send at least one setting");
        }
        List<ApiException.FieldError> errors = new ArrayList<>();
        for (String key : body.keySet()) {
            if (!FIELDS.contains(key)) {
                errors.add(new ApiException.FieldError(key, "Unknown setting"));
            }
        }
        AdminSettings before = current();
        String registration = before.registration();
        if (body.containsKey("registration")) {
            Object value = body.get("registration");
            if (!(value instanceof String s) || !REGISTRATION_MODES.contains(s)) {
                errors.add(new ApiException.FieldError("registration", "Must be one of open, invite, closed"));
            } else {
                registration = s;
            }
        }
        String pattern = before.allowedUsernamePattern();
        if (body.containsKey("allowedUsernamePattern")) {
            Object value = body.get("allowedUsernamePattern");
            if (value == null || (value instanceof String s && s.isBlank())) {
                pattern = null;
            } else if (!(value instanceof String s) || s.length() > 200) {
                errors.add(new ApiException.FieldError("allowedUsernamePattern", "Must be a regular expression of at most 200 characters, or null"));
            } else {
                try {
                    Pattern.compile(s);
                    pattern = s;
                } catch (PatternSyntaxException e) {
                    errors.add(new ApiException.FieldError("allowedUsernamePattern", "Not a valid regular expression: " + e.getDescription()));
                }
            }
        }
        Integer retention = optionalInt(body, "messageRetentionDays", before.messageRetentionDays(), 1, 36_500, errors);
        Integer maxUpload = optionalInt(body, "maxUploadMb", before.maxUploadMb(), 1, maxUploadMbLimit, errors);
        if (body.containsKey("maxUploadMb") && body.get("maxUploadMb") == null) {
            errors.add(new ApiException.FieldError("maxUploadMb", "Must be an integer from 1 to " + maxUploadMbLimit));
        }
        Integer quota = optionalInt(body, "defaultStorageQuotaMb", before.defaultStorageQuotaMb(), 1, 10_000_000, errors);
        Integer auditDays = optionalInt(body, "auditRetentionDays", before.auditRetentionDays(), 1, 36_500, errors);
        if (body.containsKey("auditRetentionDays") && body.get("auditRetentionDays") == null) {
            errors.add(new ApiException.FieldError("auditRetentionDays", "Must be an integer from 1 to 36500"));
        }
        boolean linkPreviews = before.linkPreviews();
        if (body.containsKey("linkPreviews")) {
            if (body.get("linkPreviews") instanceof Boolean enabled) {
                linkPreviews = enabled;
            } else {
                errors.add(new ApiException.FieldError("linkPreviews", "Must be true or false"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        AdminSettings after = new AdminSettings(registration, pattern, retention,
                maxUpload == null ? before.maxUploadMb() : maxUpload, quota,
                auditDays == null ? before.auditRetentionDays() : auditDays, linkPreviews);
        repository.write(SettingsRepository.SETTINGS, json.writeValueAsString(after));
        Map<String, Object> changedBefore = new LinkedHashMap<>();
        Map<String, Object> changedAfter = new LinkedHashMap<>();
        Map<String, Object> b = asMap(before);
        Map<String, Object> a = asMap(after);
        for (String key : a.keySet()) {
            if (!java.util.Objects.equals(a.get(key), b.get(key))) {
                changedBefore.put(key, b.get(key));
                changedAfter.put(key, a.get(key));
            }
        }
        audit.adminAction(actorId, "settings_changed", null, "settings", changedBefore, changedAfter);
        return after;
    }

    private Map<String, Object> asMap(AdminSettings settings) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("registration", settings.registration());
        map.put("allowedUsernamePattern", settings.allowedUsernamePattern());
        map.put("messageRetentionDays", settings.messageRetentionDays());
        map.put("maxUploadMb", settings.maxUploadMb());
        map.put("defaultStorageQuotaMb", settings.defaultStorageQuotaMb());
        map.put("auditRetentionDays", settings.auditRetentionDays());
        map.put("linkPreviews", settings.linkPreviews());
        return map;
    }

    private static Integer optionalInt(Map<String, Object> body, String field, Integer current, int min, int max,
                                       List<ApiException.FieldError> errors) {
        if (!body.containsKey(field)) {
            return current;
        }
        Object value = body.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Integer i && i >= min && i <= max) {
            return i;
        }
        errors.add(new ApiException.FieldError(field, "Must be an integer from " + min + " to " + max + ", or null"));
        return current;
    }
}
