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

	public static void main(String[] args) {
		if (args.length > 0 && args[0].equals("client")) {
			System.exit(TalkClient.run(Arrays.copyOfRange(args, 1, args.length)));
		}
		SpringApplication.run(TalkApplication.class, args);
	}

}
