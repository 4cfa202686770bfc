package app.confab.attachment;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;

/**
 * The content type a shared file (not an image) is stored and served with. It is named from the
 * file name by Spring's bundled MIME table ({@link MediaTypeFactory}), and kept only when it is on an
 * allow-list of types a browser will not run or render as a page: anything else (HTML, SVG, XML,
 * scripts, unknown) becomes {@code application/octet-stream}. Files are always served as downloads
 * ({@code Content-Disposition: attachment}, {@code nosniff}), so the type only helps the receiving
 * program pick an application and the client pick an icon; never the browser interpret the bytes.
 */
final class FileTypes {

    static final String OCTET_STREAM = MediaType.APPLICATION_OCTET_STREAM_VALUE;

    /** Exact types that are documents, archives or plain data, never active content. */
    private static final Set<String> SAFE = Set.of(
            "application/pdf", "application/zip", "application/gzip", "application/x-gzip", "application/x-tar",
            "application/x-7z-compressed", "application/x-bzip2", "application/x-xz", "application/vnd.rar",
            "application/x-rar-compressed", "application/json", "application/msword", "application/rtf",
            "application/vnd.ms-excel", "application/vnd.ms-powerpoint", "application/epub+zip",
            "text/plain", "text/csv", "text/markdown", "text/tab-separated-values", "text/calendar", "text/x-vcard",
            "text/vcard");

    /** Families of types that are media or office documents. */
    private static final List<String> SAFE_PREFIXES = List.of(
            "audio/", "video/", "application/vnd.openxmlformats-officedocument.",
            "application/vnd.oasis.opendocument.", "application/vnd.ms-");

    private FileTypes() {
    }

    /** The safe type for a file of this name: its allow-listed MIME type, else application/octet-stream. */
    static String forName(String fileName) {
        return MediaTypeFactory.getMediaType(fileName == null ? "" : fileName)
                .map(type -> type.getType() + "/" + type.getSubtype())
                .map(FileTypes::safe)
                .orElse(OCTET_STREAM);
    }

    /** The type itself when it is allow-listed, application/octet-stream otherwise (e.g. text/html, image/svg+xml). */
    static String safe(String contentType) {
        if (contentType == null) {
            return OCTET_STREAM;
        }
        String type = contentType.toLowerCase(Locale.ROOT).strip();
        int parameters = type.indexOf(';');
        if (parameters >= 0) {
            type = type.substring(0, parameters).strip();
        }
        // Belt and braces for the families below: nothing that a browser renders as a document or runs.
        if (type.length() > 255 || type.contains("html") || type.endsWith("+xml") || type.contains("script")) {
            return OCTET_STREAM;
        }
        if (SAFE.contains(type) || SAFE_PREFIXES.stream().anyMatch(type::startsWith)) {
            return type;
        }
        return OCTET_STREAM;
    }
}
