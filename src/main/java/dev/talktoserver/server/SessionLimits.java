package dev.talktoserver.server;

import dev.talktoserver.TalkProperties;

/**
 * The per-connection limits from {@link TalkProperties}, converted once into the units the session's
 * code works in.
 */
record SessionLimits(long sendBufferSizeLimit, int maxMessagesPerSecond) {

	static SessionLimits from(TalkProperties properties) {
		return new SessionLimits(properties.sendBufferSizeLimit().toBytes(), properties.maxMessagesPerSecond());
	}

}
