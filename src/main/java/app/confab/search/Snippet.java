package app.confab.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds the {@code content} of a search result: the message as plain text, cut to a window
 * around the first match when long, every character HTML-escaped, and matches wrapped in
 * {@code <mark>}. The only markup in the result is {@code <mark>} and {@code </mark>}, so it is safe
 * to render as HTML whatever the message contained.
 */
final class Snippet {

    static final int MAX_LENGTH = 300;
    private static final int CONTEXT_BEFORE = 80;
    private static final String ELLIPSIS = "…";

    private Snippet() {
    }

    /**
     * @param escapedHeadline message text as stored (HTML-escaped), with the words PostgreSQL matched between
     *                 {@link SearchRepository#MARK_START} and {@link SearchRepository#MARK_END}
     * @param literals texts to mark wherever they occur, ignoring case (phrases, parts of words, CJK runs)
     */
    static String build(String escapedHeadline, List<String> literals) {
        String headline = unescape(escapedHeadline);
        StringBuilder text = new StringBuilder(headline.length());
        List<Range> ranges = new ArrayList<>();
        int markStart = -1;
        for (int i = 0; i < headline.length(); i++) {
            char c = headline.charAt(i);
            if (c == SearchRepository.MARK_START) {
                markStart = text.length();
            } else if (c == SearchRepository.MARK_END) {
                if (markStart >= 0 && text.length() > markStart) {
                    ranges.add(new Range(markStart, text.length()));
                }
                markStart = -1;
            } else {
                text.append(c);
            }
        }
        String plain = text.toString();
        for (String literal : literals) {
            ranges.addAll(occurrences(plain, literal));
        }
        List<Range> marks = merge(ranges);
        Range window = window(plain, marks);
        return render(plain, marks, window);
    }

    private static List<Range> occurrences(String text, String literal) {
        List<Range> found = new ArrayList<>();
        if (literal.isEmpty()) {
            return found;
        }
        for (int i = 0; i + literal.length() <= text.length(); i++) {
            if (text.regionMatches(true, i, literal, 0, literal.length())) {
                found.add(new Range(i, i + literal.length()));
                i += literal.length() - 1;
            }
        }
        return found;
    }

    private static List<Range> merge(List<Range> ranges) {
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingInt(Range::start));
        List<Range> merged = new ArrayList<>();
        for (Range range : sorted) {
            Range last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && range.start() <= last.end()) {
                merged.set(merged.size() - 1, new Range(last.start(), Math.max(last.end(), range.end())));
            } else {
                merged.add(range);
            }
        }
        return merged;
    }

    /** The part of a long message to show: from a little before the first match, cut at spaces. */
    private static Range window(String text, List<Range> marks) {
        if (text.length() <= MAX_LENGTH) {
            return new Range(0, text.length());
        }
        int first = marks.isEmpty() ? 0 : marks.getFirst().start();
        int start = Math.max(0, first - CONTEXT_BEFORE);
        if (start > 0) {
            int space = text.indexOf(' ', start);
            start = space >= 0 && space < first ? space + 1 : start;
        }
        int end = Math.min(text.length(), start + MAX_LENGTH);
        if (end < text.length()) {
            int space = text.lastIndexOf(' ', end);
            end = space > start + MAX_LENGTH / 2 ? space : end;
        }
        return new Range(codePointBoundary(text, start), codePointBoundary(text, end));
    }

    private static int codePointBoundary(String text, int index) {
        return index > 0 && index < text.length() && Character.isLowSurrogate(text.charAt(index)) ? index - 1 : index;
    }

    private static String render(String text, List<Range> marks, Range window) {
        StringBuilder html = new StringBuilder(window.end() - window.start() + 32);
        if (window.start() > 0) {
            html.append(ELLIPSIS);
        }
        int at = window.start();
        for (Range mark : marks) {
            int start = Math.max(mark.start(), window.start());
            int end = Math.min(mark.end(), window.end());
            if (start >= end || start < at) {
                continue;
            }
            escape(text, at, start, html);
            html.append("<mark>");
            escape(text, start, end, html);
            html.append("</mark>");
            at = end;
        }
        escape(text, at, window.end(), html);
        if (window.end() < text.length()) {
            html.append(ELLIPSIS);
        }
        return html.toString();
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        escape(text, 0, text.length(), out);
        return out.toString();
    }

    /** Decodes the entities message content is stored with; mirrors message_plain_text in V6. */
    static String unescape(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&#x27;", "'").replace("&#039;", "'")
                .replace("&amp;", "&");
    }

    static void escape(String text, int from, int to, StringBuilder out) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
    }

    private record Range(int start, int end) {
    }
}
