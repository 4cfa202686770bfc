package app.confab.attachment;

import java.util.Locale;

/** File names as users gave them: kept for display and downloads, never used as a storage path. */
final class FileNames {

    static final int MAX_LENGTH = 255;

    private FileNames() {
    }

    /** The last path segment, without control characters, at most 255 characters; "image" when nothing is left. */
    static String clean(String original) {
        if (original == null) {
            return "image";
        }
        String name = original.substring(Math.max(original.lastIndexOf('/'), original.lastIndexOf('\\')) + 1);
        StringBuilder cleaned = new StringBuilder();
        name.codePoints()
                .filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
                .forEach(cleaned::appendCodePoint);
        String result = cleaned.toString().strip();
        if (result.length() > MAX_LENGTH) {
            int end = MAX_LENGTH;
            if (Character.isHighSurrogate(result.charAt(end - 1))) {
                end--;
            }
            result = result.substring(0, end);
        }
        return result.isEmpty() ? "image" : result;
    }

    /** "photo.jpg" for the original; "photo-thumbnail.jpg" / "photo-medium.png" for derived sizes. */
    static String forVariant(String fileName, Variant variant, String contentType) {
        if (variant == Variant.ORIGINAL) {
            return fileName;
        }
        int dot = fileName.lastIndexOf('.');
        String base = dot > 0 ? fileName.substring(0, dot) : fileName;
        String extension = contentType.toLowerCase(Locale.ROOT).endsWith("png") ? "png" : "jpg";
        return base + "-" + variant.pathName() + "." + extension;
    }
}
