package dev.talktoserver.observability;

import java.io.OutputStream;
import java.time.Duration;
import java.util.Iterator;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import dev.talktoserver.TalkProperties;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Once Spring Boot has set up logging, makes its console appenders write through a
 * {@link BatchedOutputStream}: lines are collected for {@code talk.log.console-batch-interval} (10 ms)
 * and written together. The layout, the JSON formats and the levels stay Spring Boot's own; only the
 * writing changes. Set up again whenever Spring Boot sets up logging again (each application in one
 * JVM, as in tests); the appender's stop writes what was collected. An application in the same JVM with
 * batching off puts the console's own stream back: Spring Boot keeps the appenders of the first
 * application that set up logging, and the batching with them.
 */
class ConsoleBatching implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		batchConsoleLines(Binder.get(event.getEnvironment())
			.bindOrCreate("talk.log", TalkProperties.Log.class)
			.consoleBatchInterval());
	}

	/** Console lines collected for {@code interval} before they are written, or written at once for 0. */
	static void batchConsoleLines(Duration interval) {
		if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
			return;
		}
		boolean batched = !interval.isZero() && !interval.isNegative();
		Iterator<Appender<ILoggingEvent>> appenders = context.getLogger(Logger.ROOT_LOGGER_NAME)
			.iteratorForAppenders();
		while (appenders.hasNext()) {
			if (appenders.next() instanceof ConsoleAppender<ILoggingEvent> console && console.isStarted()) {
				OutputStream current = console.getOutputStream();
				if (batched && !(current instanceof BatchedOutputStream)) {
					console.setOutputStream(new BatchedOutputStream(current, interval));
				}
				else if (!batched && current instanceof BatchedOutputStream batches) {
					// The appender closes the batches as it lets them go: what they collected is written.
					console.setOutputStream(batches.target());
				}
			}
		}
	}

	/** Right after Spring Boot's logging set-up, which happens on the same event. */
	@Override
	public int getOrder() {
		return LoggingApplicationListener.DEFAULT_ORDER + 1;
	}

}
