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
 * @param grownPart the largest part of a large message, in bytes or characters, once the read buffers
 * have grown for it ({@link ReadBufferGrowth}): half the send buffer's limit, so that two fit in it
 * @param largestGrownFrame the most one frame adds to what waits while they have
 * @param maxMessagesPerSecond the rate limit, 0 for none
 */
record SessionLimits(long sendBufferSizeLimit, long largestFrame, int grownPart, long largestGrownFrame,
		int maxMessagesPerSecond) {

	/**
	 * The container delivers a message in parts of at most 512 characters or bytes (the message buffer of
	 * {@code WebSocketConfig}): echoed as UTF-8, at most three bytes a character.
	 */
	static final int PART = 512;

	static final int LARGEST_PART_BYTES = 3 * PART;

	static SessionLimits from(TalkProperties properties) {
		long reply = properties.reply().getBytes(StandardCharsets.UTF_8).length;
		long limit = properties.sendBufferSizeLimit().toBytes();
		int grownPart = grownPart(properties);
		return new SessionLimits(limit, Math.max(reply, LARGEST_PART_BYTES) + Outbox.FRAME_OVERHEAD, grownPart,
				Math.max(reply, 3L * grownPart) + Outbox.FRAME_OVERHEAD, properties.maxMessagesPerSecond());
	}

	static int grownPart(TalkProperties properties) {
		long half = properties.sendBufferSizeLimit().toBytes() / 2;
		return (int) Math.max(PART, Math.min(half, ReadBufferGrowth.LARGEST_PART));
	}

}
