package dev.talktoserver.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * What {@code client --version} prints: the version in {@code META-INF/build-info.properties}, which
 * Spring Boot's Maven plugin writes and {@code /actuator/info} shows.
 */
final class ClientVersion {

	private static final String BUILD_INFO = "/META-INF/build-info.properties";

	private ClientVersion() {
	}

	static String text() {
		String version = null;
		try (InputStream buildInfo = ClientVersion.class.getResourceAsStream(BUILD_INFO)) {
			if (buildInfo != null) {
				Properties properties = new Properties();
				properties.load(buildInfo);
				version = properties.getProperty("build.version");
			}
		}
		catch (IOException ex) {
			// No version to show: say so below.
		}
		return "talk-to-server client " + ((version != null) ? version : "(development build)");
	}

}
