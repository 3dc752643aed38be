package dev.talktoserver.client;

import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

import dev.talktoserver.launcher.ClientCacheDirectory;

/**
 * Starts the client from the executable jar in a class loader that sees only the jars it uses.
 * <p>
 * Spring Boot's class loader, which sees all 56 of the server's, makes a one-shot run pay for all of
 * them: for every class of a new package it looks through the jars in turn for one whose manifest
 * defines the package, and Tomcat's jars have no directory entries, so that search opens and indexes
 * every nested jar; and a resource that is not there (Tomcat's message bundles try several locales first)
 * is looked for in every jar again. A JDK {@link URLClassLoader} over the same nested jars (Spring Boot's
 * launcher has made their {@code jar:nested:} URLs readable) defines packages from the jar a class
 * came from and searches six jars (measured in docs/client.md); and faster still, the same jars copied
 * out once into the user's cache directory ({@link ClientCache}).
 * <p>
 * Anywhere else (the tests, an IDE, the extracted jar of the image) the client runs where it is.
 */
public final class ClientLauncher {

	/**
	 * The jars of the client, by the start of their names under {@code BOOT-INF/lib/}, in the order it
	 * loads most classes from them (each class is looked for in the jars before its own, one by one):
	 * 90, 37, 20, 19, 8 and 6, and then about 25 of its own.
	 */
	static final List<String> LIBRARIES = List.of("tomcat-embed-websocket-", "spring-core-", "tomcat-embed-core-",
			"spring-websocket-", "commons-logging-", "spring-web-");

	private static final String CLASSES = "/!BOOT-INF/classes/!/";

	private static final String LIBRARY_DIRECTORY = "/!BOOT-INF/lib/";

	private ClientLauncher() {
	}

	/** Runs {@link TalkClient#run(String[])}, in a class loader of its own when started from the jar. */
	public static int run(String[] args) {
		ClassLoader launched = ClientLauncher.class.getClassLoader();
		URL[] nested = (launched instanceof URLClassLoader urls) ? classPath(urls.getURLs()) : null;
		if (nested == null) {
			return TalkClient.run(args);
		}
		URL[] cached = ClientCache.classPath(nested, ClientCacheDirectory.root(System.getenv()));
		URL[] classPath = (cached != null) ? cached : nested;
		URLClassLoader loader = new URLClassLoader("talk-to-server-client", classPath, launched.getParent());
		Thread.currentThread().setContextClassLoader(loader);
		try {
			return (int) loader.loadClass(TalkClient.class.getName())
				.getMethod("run", String[].class)
				.invoke(null, (Object) args);
		}
		catch (InvocationTargetException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("the client's classes are not where the jar's layout puts them", ex);
		}
	}

	/**
	 * The application's classes and the client's {@link #LIBRARIES} among the class path of Spring Boot's
	 * launcher, or null when that is not the launcher's class path or a library is missing from it.
	 */
	static URL[] classPath(URL[] launcherClassPath) {
		List<URL> classPath = new ArrayList<>();
		for (String library : LIBRARIES) {
			URL found = null;
			for (URL url : launcherClassPath) {
				if (url.toString().contains(LIBRARY_DIRECTORY + library)) {
					found = url;
				}
			}
			if (found == null) {
				return null;
			}
			classPath.add(found);
		}
		for (URL url : launcherClassPath) {
			if (url.toString().endsWith(CLASSES)) {
				classPath.add(url);
				return classPath.toArray(new URL[0]);
			}
		}
		return null;
	}

}
