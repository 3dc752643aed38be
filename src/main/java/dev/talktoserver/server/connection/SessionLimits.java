package dev.talktoserver.server.connection;

import java.nio.charset.StandardCharsets;

import dev.talktoserver.TalkProperties;
import dev.talktoserver.server.send.Outbox;

/**
 * The per-connection limits from {@link TalkProperties}, converted once into the units the session's
 * code works in.
 *
 * @param sendBufferSizeLimit the most that may wait to be sent to a connection
 * @param largestFrame the most one frame adds to what waits: a reply, or an echoed part of a message
 * @param maxMessagesPerSecond the rate limit, 0 for none
 */
record SessionLimits(long sendBufferSizeLimit, long largestFrame, int maxMessagesPerSecond) {

	/**
	 * The container delivers a message in parts of at most 512 characters or bytes (the message buffer of
	 * {@code WebSocketConfig}): echoed as UTF-8, at most three bytes a character.
	 */
	static final int LARGEST_PART_BYTES = 3 * 512;

	static SessionLimits from(TalkProperties properties) {
		long reply = properties.reply().getBytes(StandardCharsets.UTF_8).length;
		return new SessionLimits(properties.sendBufferSizeLimit().toBytes(),
				Math.max(reply, LARGEST_PART_BYTES) + Outbox.FRAME_OVERHEAD, properties.maxMessagesPerSecond());
	}

}
