package dev.talktoserver.observability;

import java.time.Duration;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.talktoserver.support.JdkTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With the packaged setting (the tests' own config writes every line at once), Spring Boot's console
 * appender writes through the batching stream, and a message's line reaches the console soon after.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "talk.log.console-batch-interval=10ms")
@ExtendWith(OutputCaptureExtension.class)
class ConsoleBatchingTests {

	@LocalServerPort
	private int port;

	/**
	 * Spring Boot keeps the first application's appenders for the applications that follow in this JVM,
	 * and the test contexts cached before this one are not set up again: the batching must not outlive
	 * this class, or every test after it that reads the console at once would read it up to 10 ms early.
	 */
	@AfterAll
	static void consoleWrittenAtOnceAgain() {
		ConsoleBatching.batchConsoleLines(Duration.ZERO);
		assertThat(console().getOutputStream()).isNotInstanceOf(BatchedOutputStream.class);
	}

	@Test
	void theConsoleAppenderWritesThroughTheBatchingStream() {
		assertThat(console().getOutputStream()).isInstanceOf(BatchedOutputStream.class);
	}

	@Test
	void aMessagesLineReachesTheConsoleSoonAfter(CapturedOutput output) throws Exception {
		JdkTestClient client = JdkTestClient.connect(this.port, "/talk-to-server");
		assertThat(client.roundTrip("batched hello")).isEqualTo("Hello from server!");
		client.close();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(output.getOut()).contains("sent 13 chars: \"batched hello\""));
	}

	@SuppressWarnings("unchecked")
	private static ConsoleAppender<ILoggingEvent> console() {
		LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
		ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) context
			.getLogger(Logger.ROOT_LOGGER_NAME)
			.getAppender("CONSOLE");
		assertThat(console).isNotNull();
		return console;
	}

}
