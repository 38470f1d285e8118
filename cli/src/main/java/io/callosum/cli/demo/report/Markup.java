package io.callosum.cli.demo.report;

import java.util.Locale;

/** Text and numbers as they may appear inside HTML and SVG. */
final class Markup {
    private Markup() {
    }

    /** Escapes for element content and quoted attributes alike, in both HTML and XML (hence {@code &#39;}, not {@code &apos;}). */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
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
        return out.toString();
    }

    /** Locale-independent, so a report reads the same on every hospital's machine; non-finite values read "n/a". */
    static String number(double value, int decimals) {
        if (!Double.isFinite(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** SVG coordinates: a tenth of a pixel is finer than any screen shows and keeps the output short. */
    static String coordinate(double pixels) {
        return number(pixels, 1);
    }
}
