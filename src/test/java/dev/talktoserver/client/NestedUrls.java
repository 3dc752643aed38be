package dev.talktoserver.client;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;

/** URLs of Spring Boot's {@code jar:nested:} kind, as its launcher's class path has them, made without its handler. */
final class NestedUrls {

	private static final URLStreamHandler UNOPENED = new URLStreamHandler() {
		@Override
		protected URLConnection openConnection(URL url) throws IOException {
			throw new IOException("not opened in this test");
		}
	};

	private NestedUrls() {
	}

	static URL of(String spec) {
		try {
			return new URL(null, spec, UNOPENED);
		}
		catch (MalformedURLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
