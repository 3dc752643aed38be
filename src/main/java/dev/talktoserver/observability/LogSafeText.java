package dev.talktoserver.observability;

/**
 * Makes text from a client safe to put inside one log line: control characters, line and paragraph
 * separators and bidirectional overrides are escaped (so a message can neither start a new line nor
 * make one look like another), quotes and backslashes are escaped (so the quoted text cannot be
 * closed early), and text longer than the limit is cut.
 */
public final class LogSafeText {

	private LogSafeText() {
	}

	/**
	 * Appends {@code text} to {@code out} between double quotes, escaped, and cut to {@code maxChars}
	 * characters of the original (never in the middle of a surrogate pair).
	 * @return whether the text was cut
	 */
	public static boolean appendQuoted(StringBuilder out, CharSequence text, int maxChars) {
		int length = text.length();
		int end = Math.min(length, Math.max(maxChars, 0));
		if (end < length && end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
			end--;
		}
		out.append('"');
		for (int i = 0; i < end; i++) {
			char c = text.charAt(i);
			switch (c) {
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				default -> {
					if (needsUnicodeEscape(c)) {
						appendUnicodeEscape(out, c);
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
		return end < length;
	}

	/** The escaped, quoted and cut text on its own. */
	public static String quote(CharSequence text, int maxChars) {
		StringBuilder out = new StringBuilder(Math.min(text.length(), Math.max(maxChars, 0)) + 8);
		appendQuoted(out, text, maxChars);
		return out.toString();
	}

	private static boolean needsUnicodeEscape(char c) {
		return c < 0x20 || (c >= 0x7f && c <= 0x9f) // C0, DEL and C1 controls (U+0085 is a line break)
				|| c == '\u2028' || c == '\u2029' // line and paragraph separators
				|| (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069'); // bidi overrides
	}

	private static void appendUnicodeEscape(StringBuilder out, char c) {
		out.append("\\u");
		String hex = Integer.toHexString(c);
		for (int pad = hex.length(); pad < 4; pad++) {
			out.append('0');
		}
		out.append(hex);
	}

}
