package app.confab.search;

/**
 * Characters of scripts written without spaces between words (Chinese, Japanese, Thai) and of
 * Korean, whose words carry attached particles. Must list the same ranges as the SQL function
 * {@code message_search_words} in V6__message_search.sql, which indexes them one character per word.
 */
final class SpacelessScripts {

    private SpacelessScripts() {
    }

    static boolean contains(int codePoint) {
        return (codePoint >= 0x0E00 && codePoint <= 0x0E7F)      // Thai
                || (codePoint >= 0x3040 && codePoint <= 0x30FF)  // Hiragana, Katakana
                || (codePoint >= 0x3400 && codePoint <= 0x4DBF)  // CJK extension A
                || (codePoint >= 0x4E00 && codePoint <= 0x9FFF)  // CJK unified ideographs
                || (codePoint >= 0xAC00 && codePoint <= 0xD7AF)  // Hangul syllables
                || (codePoint >= 0xF900 && codePoint <= 0xFAFF)  // CJK compatibility ideographs
                || (codePoint >= 0xFF66 && codePoint <= 0xFF9F); // half-width Katakana
    }

    static boolean containsAny(String text) {
        return text.codePoints().anyMatch(SpacelessScripts::contains);
    }
}
