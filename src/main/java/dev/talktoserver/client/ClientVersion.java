package dev.talktoserver.client;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest, which Spring Boot's Maven plugin writes. */
final class ClientVersion implements IVersionProvider {

	@Override
	public String[] getVersion() {
		String version = ClientVersion.class.getPackage().getImplementationVersion();
		return new String[] { "talk-to-server client " + ((version != null) ? version : "(development build)") };
	}

}
