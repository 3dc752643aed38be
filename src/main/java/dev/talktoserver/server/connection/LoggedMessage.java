package dev.talktoserver.server.connection;

/**
 * What {@code /talk-to-server} keeps of a message that arrives in parts: the characters its log line
 * shows, and how many there are in all. The reply is the same whatever the message says, so a message
 * of 60,000 characters costs no more than its first {@code talk.log.max-message-chars}, however long it
 * stays unfinished. One more character than the log shows is kept, so that the log can tell a cut
 * message from a whole one and never cuts a surrogate pair in two.
 */
public final class LoggedMessage {

	private final StringBuilder start;

	private final int keep;

	private int chars;

	LoggedMessage(int maxLoggedChars) {
		this.keep = maxLoggedChars + 1;
		// A message arrives in parts only when it is longer than a part (512 bytes), so all of it is used.
		this.start = new StringBuilder(this.keep);
	}

	public void append(String part) {
		this.chars += part.length();
		int room = this.keep - this.start.length();
		if (room > 0) {
			this.start.append(part, 0, Math.min(room, part.length()));
		}
	}

	/** The first characters of the message, as many as the log can show and one more. */
	public CharSequence start() {
		return this.start;
	}

	/** Characters received so far, all parts together. */
	public int chars() {
		return this.chars;
	}

	/** Bytes this holds on the heap: two per character of its buffer, whatever the message's length. */
	long heldBytes() {
		return 2L * this.start.capacity();
	}

}
