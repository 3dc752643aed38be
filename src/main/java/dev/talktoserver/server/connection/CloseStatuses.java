package dev.talktoserver.server.connection;

import java.time.Duration;

import org.springframework.web.socket.CloseStatus;

/**
 * The close codes the server uses, with reasons a person reading a client's log can act on. Reasons
 * stay well under the 123 bytes a close frame allows.
 */
public final class CloseStatuses {

	static final CloseStatus SHUTTING_DOWN = CloseStatus.GOING_AWAY.withReason("server shutting down");

	public static final CloseStatus BINARY_NOT_ACCEPTED = CloseStatus.NOT_ACCEPTABLE
		.withReason("binary messages are not accepted here; send text");

	static final CloseStatus INTERNAL_ERROR = CloseStatus.SERVER_ERROR.withReason("internal error");

	static final CloseStatus SEND_FAILED = CloseStatus.POLICY_VIOLATION
		.withReason("too slow: the client is not reading its messages");

	/** 1008: the connection lives no longer than the JWT it was opened with. */
	static final CloseStatus TOKEN_EXPIRED = CloseStatus.POLICY_VIOLATION
		.withReason("token expired: connect again with a new token");

	/** 1013, try again later: the server sheds what it holds, and another connection may well fit later. */
	static final CloseStatus LOW_ON_MEMORY = CloseStatus.SERVICE_OVERLOAD
		.withReason("server low on memory: try again later");

	private CloseStatuses() {
	}

	static CloseStatus tooBig(long maxBytes) {
		return CloseStatus.TOO_BIG_TO_PROCESS.withReason("message too big: the limit is " + maxBytes + " bytes");
	}

	static CloseStatus rateLimited(int perSecond) {
		return CloseStatus.POLICY_VIOLATION
			.withReason("rate limit: more than " + perSecond + " messages per second");
	}

	static CloseStatus clientRateLimited(int perSecond) {
		return CloseStatus.POLICY_VIOLATION
			.withReason("rate limit: this client's connections sent more than " + perSecond + " messages per second");
	}

	static CloseStatus idle(Duration idleTimeout) {
		String time = (idleTimeout.toMillis() % 1000 == 0) ? idleTimeout.toSeconds() + " s"
				: idleTimeout.toMillis() + " ms";
		return CloseStatus.GOING_AWAY.withReason("idle timeout: nothing received for " + time);
	}

}
