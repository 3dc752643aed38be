package dev.talktoserver.launcher;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The executable jar's {@code Main-Class}, ahead of Spring Boot's {@code JarLauncher} (the build puts
 * this package at the jar's root and names it in the manifest): a client run whose jars are in the
 * client's cache already ({@link ClientCacheDirectory}) starts straight from them, without Spring Boot's
 * launcher, its 56 nested-jar URLs and its first run of nested-jar code (0.1 s of a 0.6 s run,
 * docs/client.md). Everything else, the server, the first client run, {@code -Djarmode=tools}, goes to
 * {@code JarLauncher} as before.
 */
public final class ClientFirstLauncher {

	private static final String JAR_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";

	private static final String CLIENT = "dev.talktoserver.client.TalkClient";

	private ClientFirstLauncher() {
	}

	public static void main(String[] args) throws Throwable {
		URL[] cached = (args.length > 0 && args[0].equals("client")) ? cachedClassPath() : null;
		try {
			if (cached == null) {
				Class.forName(JAR_LAUNCHER).getMethod("main", String[].class).invoke(null, (Object) args);
				return;
			}
			URLClassLoader loader = new URLClassLoader("talk-to-server-client", cached,
					ClassLoader.getSystemClassLoader());
			Thread.currentThread().setContextClassLoader(loader);
			Object exitCode = loader.loadClass(CLIENT)
				.getMethod("run", String[].class)
				.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
			System.exit((int) exitCode);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

	/** The cache's class path for this jar, or null (not made yet, not ours, not a jar). */
	private static URL[] cachedClassPath() {
		try {
			Path jar = Path.of(ClientFirstLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
			Path root = ClientCacheDirectory.root(System.getenv());
			return (root != null) ? ClientCacheDirectory.classPath(ClientCacheDirectory.of(root, jar)) : null;
		}
		catch (URISyntaxException | IOException | RuntimeException ex) {
			// Spring Boot's launcher will start the client, and make the cache.
			return null;
		}
	}

}
