package dev.talktoserver.server.send;

import java.nio.ByteBuffer;

/**
 * One frame waiting to be sent: a whole message, a part of one (of the message's kind, text or binary,
 * in the order the parts are sent), or a ping. Text is UTF-8. The payload is this frame's own: it is
 * read when the frame goes out, after the code that queued it has moved on.
 */
public record Frame(byte opCode, ByteBuffer payload, boolean last) {

	static final byte TEXT = 0x1;

	static final byte BINARY = 0x2;

	static final byte PING = 0x9;

	/** Shared by every ping: its payload is empty, so sending it consumes nothing. */
	private static final byte[] NO_BYTES = new byte[0];

	public static Frame text(byte[] utf8, boolean last) {
		return new Frame(TEXT, ByteBuffer.wrap(utf8), last);
	}

	public static Frame binary(byte[] bytes, boolean last) {
		return new Frame(BINARY, ByteBuffer.wrap(bytes), last);
	}

	public static Frame ping() {
		return new Frame(PING, ByteBuffer.wrap(NO_BYTES), true);
	}

	boolean isControl() {
		return this.opCode >= 0x8;
	}

	int size() {
		return this.payload.remaining();
	}

}
