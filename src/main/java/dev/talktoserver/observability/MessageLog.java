package dev.talktoserver.observability;

import dev.talktoserver.TalkProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import org.springframework.stereotype.Component;

/**
 * Writes one INFO line for every message a client sends, to the logger {@value #LOGGER_NAME}, so that
 * operators can turn message logging down on its own ({@code logging.level.talk.messages=warn})
 * without losing the rest. The line is built only when INFO is on for that logger.
 */
@Component
public class MessageLog {

	/** The logger's name: short, and independent of how the code is packaged. */
	public static final String LOGGER_NAME = "talk.messages";

	private static final Logger logger = LoggerFactory.getLogger(LOGGER_NAME);

	/** Characters of a principal's name that the line shows. */
	private static final int MAX_PRINCIPAL_CHARS = 100;

	private final int maxMessageChars;

	public MessageLog(TalkProperties properties) {
		this.maxMessageChars = properties.log().maxMessageChars();
	}

	/**
	 * Logs that a text message arrived, e.g.
	 * {@code session 3f1c.. (127.0.0.1:53422) sent 18 chars: "Hello from client!"}, or with a JWT's principal
	 * {@code (127.0.0.1:53422 as "alice")}. With structured logging on
	 * ({@code logging.structured.format.console=ecs} or {@code logstash}), the event also carries the
	 * session id, remote address, principal, endpoint and message length (in characters) as fields of their own.
	 * @param start the message, or as much of its start as the log shows and at least one character more
	 * when it is longer
	 * @param chars the message's length in characters
	 */
	public void received(String sessionId, String remoteAddress, String principal, String endpoint,
			CharSequence start, int chars) {
		if (!logger.isInfoEnabled()) {
			return;
		}
		StringBuilder line = new StringBuilder(64 + Math.min(start.length(), this.maxMessageChars));
		line.append("session ").append(sessionId).append(" (").append(remoteAddress);
		if (principal != null) {
			line.append(" as ");
			LogSafeText.appendQuoted(line, principal, MAX_PRINCIPAL_CHARS);
		}
		line.append(") sent ").append(chars).append(" chars: ");
		if (LogSafeText.appendQuoted(line, start, this.maxMessageChars)) {
			line.append("... (first ").append(this.maxMessageChars).append(" shown)");
		}
		LoggingEventBuilder event = logger.atInfo()
			.addKeyValue("sessionId", sessionId)
			.addKeyValue("remoteAddress", remoteAddress);
		if (principal != null) {
			event = event.addKeyValue("principal", principal);
		}
		event.addKeyValue("endpoint", endpoint).addKeyValue("messageChars", chars).log(line.toString());
	}

}
