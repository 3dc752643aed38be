package dev.talktoserver.client;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client's logging: warnings of the libraries it uses, one line each on stderr, so that stdout
 * carries replies alone. It goes through the JDK's own logging, where Tomcat's client logs anyway: Spring's
 * commons-logging would otherwise find the Log4j API on the class path, bridge it to SLF4J and start
 * Logback, which reads its XML configuration with the JDK's XML parser, some 600 classes and about a
 * third of a one-shot run's time, for lines that are almost never written.
 */
final class ClientLogging {

	private ClientLogging() {
	}

	/** Before anything logs: the first use of commons-logging or the JDK's logging reads these. */
	static void configure() {
		System.setProperty("org.apache.commons.logging.LogFactory", "org.apache.commons.logging.impl.LogFactoryImpl");
		System.setProperty("org.apache.commons.logging.Log", "org.apache.commons.logging.impl.Jdk14Logger");
		// WARNING org.apache.tomcat.websocket.WsWebSocketContainer: the message
		System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s %3$s: %5$s%6$s%n");
		Logger.getLogger("").setLevel(Level.WARNING);
	}

}
