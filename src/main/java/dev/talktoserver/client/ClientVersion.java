package dev.talktoserver.client;

/** What {@code client --version} prints: the version from the jar's manifest, which Spring Boot's Maven plugin writes. */
final class ClientVersion {

	private ClientVersion() {
	}

	static String text() {
		String version = ClientVersion.class.getPackage().getImplementationVersion();
		return "talk-to-server client " + ((version != null) ? version : "(development build)");
	}

}
