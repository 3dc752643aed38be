package dev.talktoserver.client;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * The client's logging: warnings of the libraries it uses, one line each on stderr, so that stdout
 * carries replies alone. It goes through the JDK's own logging, where Tomcat's client logs anyway: Spring's
 * commons-logging would otherwise find the Log4j API on the class path, bridge it to SLF4J and start
 * Logback, which reads its XML configuration with the JDK's XML parser, some 600 classes and about a
 * third of a one-shot run's time, for lines that are almost never written. The line is formatted here
 * rather than by a {@code SimpleFormatter} format string, which the JDK checks at start by formatting
 * the current time in the local time zone (the zone database, {@code java.util.Formatter}, regular
 * expressions: some 70 classes more).
 */
final class ClientLogging {

	private ClientLogging() {
	}

	/** Before anything logs: the first use of commons-logging or the JDK's logging reads these. */
	static void configure() {
		System.setProperty("org.apache.commons.logging.LogFactory", "org.apache.commons.logging.impl.LogFactoryImpl");
		System.setProperty("org.apache.commons.logging.Log", "org.apache.commons.logging.impl.Jdk14Logger");
		Logger root = Logger.getLogger("");
		for (Handler handler : root.getHandlers()) {
			root.removeHandler(handler);
		}
		root.addHandler(new Stderr());
		root.setLevel(Level.WARNING);
	}

	/**
	 * Each record on stderr at once, as the JDK's {@code ConsoleHandler} does; not one, because Tomcat's
	 * logging gives every {@code ConsoleHandler} a {@code SimpleFormatter} of its own when it starts.
	 */
	static final class Stderr extends StreamHandler {

		Stderr() {
			super(System.err, new OneLine());
			setLevel(Level.ALL);
		}

		@Override
		public synchronized void publish(LogRecord record) {
			super.publish(record);
			flush();
		}

		/** Flushes, and leaves stderr open. */
		@Override
		public synchronized void close() {
			flush();
		}

	}

	/** {@code WARNING org.apache.tomcat.websocket.WsWebSocketContainer: the message}, then any stack trace. */
	static final class OneLine extends Formatter {

		@Override
		public String format(LogRecord record) {
			String line = record.getLevel().getName() + " " + record.getLoggerName() + ": " + formatMessage(record)
					+ System.lineSeparator();
			if (record.getThrown() == null) {
				return line;
			}
			StringWriter trace = new StringWriter();
			record.getThrown().printStackTrace(new PrintWriter(trace));
			return line + trace;
		}

	}

}
