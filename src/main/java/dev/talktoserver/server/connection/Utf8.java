package dev.talktoserver.server.connection;

/** Sizes of text on the wire, where message limits apply, without encoding it. */
final class Utf8 {

	private Utf8() {
	}

	/** The number of bytes {@code text} takes in UTF-8. */
	static int encodedLength(CharSequence text) {
		int length = text.length();
		int bytes = length;
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			if (c >= 0x80) {
				// Two bytes up to U+07FF, three above; a surrogate pair is four bytes, two per half.
				bytes += (c < 0x800 || Character.isSurrogate(c)) ? 1 : 2;
			}
		}
		return bytes;
	}

}
