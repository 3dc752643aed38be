package dev.talktoserver;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything the service lets an operator set, under the {@code talk} prefix. Spring Boot has no
 * WebSocket server properties of its own, so ours live here; the README's configuration table lists
 * each one.
 *
 * @param reply the text sent back for every text message on {@code /talk-to-server}
 * @param sendTimeLimit how long one send to a client may take before the session is given up
 * @param sendBufferSizeLimit how many bytes may wait for a slow client before the session is given up
 * @param log how incoming messages are written to the log
 */
@ConfigurationProperties("talk")
public record TalkProperties(@DefaultValue("Hello from server!") String reply,
		@DefaultValue("10s") Duration sendTimeLimit, @DefaultValue("512KB") DataSize sendBufferSizeLimit,
		@DefaultValue Log log) {

	/**
	 * @param maxMessageChars how many characters of a message the log shows before it cuts the rest
	 */
	public record Log(@DefaultValue("200") int maxMessageChars) {
	}

}
