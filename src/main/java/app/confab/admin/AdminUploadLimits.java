package app.confab.admin;

import org.springframework.stereotype.Component;

import app.confab.attachment.UploadLimits;

@Component
class AdminUploadLimits implements UploadLimits {

    private final SettingsService settings;

    AdminUploadLimits(SettingsService settings) {
        this.settings = settings;
    }

    @Override
    public long maxFileBytes() {
        return settings.current().maxUploadMb() * 1024L * 1024L;
    }
}
