package app.confab.attachment;

import java.util.Optional;

/** The stored sizes of one image, as named in URLs. */
enum Variant {
    ORIGINAL("original"),
    MEDIUM("medium"),
    THUMBNAIL("thumbnail");

    private final String pathName;

    Variant(String pathName) {
        this.pathName = pathName;
    }

    String pathName() {
        return pathName;
    }

    static Optional<Variant> fromPathName(String name) {
        for (Variant variant : values()) {
            if (variant.pathName.equals(name)) {
                return Optional.of(variant);
            }
        }
        return Optional.empty();
    }
}
