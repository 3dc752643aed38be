package dev.talktoserver;

import java.util.Arrays;

import dev.talktoserver.client.TalkClient;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Starts the WebSocket server, or the command-line client when the first argument is {@code client}.
 * The client runs without a Spring context: it needs no web server, and it starts in a fraction of
 * the time.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TalkApplication {

	/**
	 * Tomcat's WebSocket read, write and encoding buffers, allocated per connection for as long as it is
	 * open: 8 KiB each by default. Messages of any size still pass, in more parts; an idle connection
	 * costs a fraction of the memory. Set here, before Tomcat's WebSocket classes load (they read it
	 * once), unless given on the command line.
	 */
	static final String TOMCAT_WEBSOCKET_BUFFER_SIZE = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

	static {
		if (System.getProperty(TOMCAT_WEBSOCKET_BUFFER_SIZE) == null) {
			System.setProperty(TOMCAT_WEBSOCKET_BUFFER_SIZE, "1024");
		}
	}

	public static void main(String[] args) {
		if (args.length > 0 && args[0].equals("client")) {
			System.exit(TalkClient.run(Arrays.copyOfRange(args, 1, args.length)));
		}
		SpringApplication.run(TalkApplication.class, args);
	}

}
