package app.confab.load;

/**
 * Reads one string field out of a JSON text without building a tree: the first
 * {@code "name":"value"} pair. Only for values the tool wrote itself or the server's cursors
 * (no escapes); anything unusual falls back to a real parse in the caller.
 */
final class JsonScan {

    private JsonScan() {
    }

    static String stringField(String json, String name) {
        String key = "\"" + name + "\":\"";
        int start = json.indexOf(key);
        if (start < 0) {
            return null;
        }
        start += key.length();
        int end = json.indexOf('"', start);
        if (end < 0 || json.lastIndexOf('\\', end) > start) {
            return null;
        }
        return json.substring(start, end);
    }

    /** A string or a bare number field, as text. */
    static String scalarField(String json, String name) {
        String text = stringField(json, name);
        if (text != null) {
            return text;
        }
        String key = "\"" + name + "\":";
        int start = json.indexOf(key);
        if (start < 0) {
            return null;
        }
        start += key.length();
        int end = start;
        while (end < json.length() && (Character.isDigit(json.charAt(end)) || json.charAt(end) == '-')) {
            end++;
        }
        return end > start ? json.substring(start, end) : null;
    }
}
