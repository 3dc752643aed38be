package dev.talktoserver;

import java.util.Arrays;

import dev.talktoserver.client.ClientLauncher;

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
	 * once), unless given on the command line. Not for the client, which holds one connection: Tomcat's
	 * client decrypts a TLS record into its read buffer whole, and fails a wss:// handshake with a
	 * {@code ReadBufferOverflowException} when that buffer is 512 bytes.
	 */
	static final String TOMCAT_WEBSOCKET_BUFFER_SIZE = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

	private static final boolean SMALL_BUFFERS_SET_HERE = System.getProperty(TOMCAT_WEBSOCKET_BUFFER_SIZE) == null;

	static {
		if (SMALL_BUFFERS_SET_HERE) {
			System.setProperty(TOMCAT_WEBSOCKET_BUFFER_SIZE, "512");
		}
	}

	/**
	 * Spring reads {@code spring.aot.enabled} from system properties only, before any property source
	 * exists; taken from the environment too, like every other setting, so that the image can switch it
	 * (its {@code SPRING_AOT} build argument) and {@code docker run -e SPRING_AOT_ENABLED=false} can
	 * switch it back.
	 */
	static final String AOT_ENABLED = "spring.aot.enabled";

	public static void main(String[] args) {
		if (args.length > 0 && args[0].equals("client")) {
			if (SMALL_BUFFERS_SET_HERE) {
				System.clearProperty(TOMCAT_WEBSOCKET_BUFFER_SIZE);
			}
			System.exit(ClientLauncher.run(Arrays.copyOfRange(args, 1, args.length)));
		}
		String aotFromEnvironment = System.getenv("SPRING_AOT_ENABLED");
		if (System.getProperty(AOT_ENABLED) == null && aotFromEnvironment != null) {
			System.setProperty(AOT_ENABLED, aotFromEnvironment);
		}
		SpringApplication.run(TalkApplication.class, args);
	}

}
