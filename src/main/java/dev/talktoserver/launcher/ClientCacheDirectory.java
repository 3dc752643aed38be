package dev.talktoserver.launcher;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the client's cache of its jars is, and what is in it: one directory per build of the executable
 * jar under {@code $XDG_CACHE_HOME/talk-to-server} (else {@code ~/.cache/talk-to-server}), named after the
 * jar's size and time, with a {@code class-path} file that lists the client's jars in the order they are
 * searched, then its classes. {@code ClientCache} fills it; {@link ClientFirstLauncher} starts from it.
 * JDK classes only: this package also runs from the jar's root, before Spring Boot's launcher.
 */
public final class ClientCacheDirectory {

	/** The file that lists the directory's class path, one entry a line; written last. */
	public static final String CLASS_PATH = "class-path";

	/** The start of every build's directory name. */
	public static final String PREFIX = "client-";

	private ClientCacheDirectory() {
	}

	/** Where the cache is for this user, or null when there is no home to put it in. */
	public static Path root(Map<String, String> environment) {
		String cacheHome = environment.get("XDG_CACHE_HOME");
		if (cacheHome != null && !cacheHome.isBlank()) {
			return Path.of(cacheHome, "talk-to-server");
		}
		String home = System.getProperty("user.home");
		return (home != null && !home.isBlank() && !home.equals("?")) ? Path.of(home, ".cache", "talk-to-server")
				: null;
	}

	/** The directory for this build of {@code jar}. */
	public static Path of(Path root, Path jar) throws IOException {
		return root.resolve(PREFIX + Long.toHexString(Files.size(jar)) + "-"
				+ Long.toHexString(Files.getLastModifiedTime(jar).toMillis()));
	}

	/**
	 * The class path that {@code directory} holds, as file URLs, or null when it holds none (not made
	 * yet) or belongs to someone else (code is loaded from it: someone else's directory could hold anything).
	 */
	public static URL[] classPath(Path directory) throws IOException {
		Path list = directory.resolve(CLASS_PATH);
		if (!Files.isRegularFile(list) || !ownedByThisUser(directory)) {
			return null;
		}
		List<String> entries = Files.readAllLines(list, StandardCharsets.UTF_8);
		URL[] classPath = new URL[entries.size()];
		for (int i = 0; i < classPath.length; i++) {
			classPath[i] = directory.resolve(entries.get(i)).toUri().toURL();
		}
		return classPath;
	}

	public static boolean ownedByThisUser(Path path) throws IOException {
		return Files.getOwner(path).getName().equals(System.getProperty("user.name"));
	}

}
