package dev.talktoserver.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import dev.talktoserver.launcher.ClientCacheDirectory;

/**
 * The client's jars and classes, copied once out of the executable jar into the user's cache directory
 * ({@code $XDG_CACHE_HOME/talk-to-server}, else {@code ~/.cache/talk-to-server}), so that later runs read
 * them as plain files with the JDK's own zip code instead of as jars nested in a jar, which Spring Boot's
 * loader reads in Java that the first run of a JVM interprets (0.16 s of a one-shot run, docs/client.md).
 * <p>
 * One directory per build of the jar ({@link ClientCacheDirectory}), made under another name and renamed
 * when complete, so that a run finds it whole or not at all; the three newest are kept. Later runs
 * start from it before Spring Boot's launcher does ({@code ClientFirstLauncher}). Nothing is cached
 * where the directory cannot be made, or belongs to someone else: the client then reads the nested jars.
 */
final class ClientCache {

	private static final String NESTED = "jar:nested:";

	private static final String CLASSES = "BOOT-INF/classes/";

	private static final String BUILD_INFO = "META-INF/build-info.properties";

	private static final String PARTIAL = ".partial-";

	private static final int KEPT = 3;

	private ClientCache() {
	}

	/**
	 * File URLs for {@code nested} (Spring Boot's {@code jar:nested:} URLs of the client's jars, then of
	 * the application's classes), from the cache under {@code root}, made first if need be; null when that
	 * cannot be done.
	 */
	static URL[] classPath(URL[] nested, Path root) {
		if (root == null) {
			return null;
		}
		try {
			Path jar = executableJar(nested[0]);
			if (jar == null || !Files.isRegularFile(jar)) {
				return null;
			}
			Path directory = ClientCacheDirectory.of(root, jar);
			URL[] cached = ClientCacheDirectory.classPath(directory);
			if (cached == null && !Files.exists(directory)) {
				List<String> libraries = new ArrayList<>();
				for (int i = 0; i < nested.length - 1; i++) {
					libraries.add(entryName(nested[i]));
				}
				create(root, directory, jar, libraries);
				cached = ClientCacheDirectory.classPath(directory);
			}
			return cached;
		}
		catch (IOException | UncheckedIOException | IllegalArgumentException ex) {
			// Not cached (no space, no rights, an unexpected URL): the nested jars serve as well, only slower.
			return null;
		}
	}

	private static void create(Path root, Path directory, Path jar, List<String> libraries) throws IOException {
		if (!Files.isDirectory(root)) {
			Files.createDirectories(root);
			restrictToOwner(root);
		}
		if (!ClientCacheDirectory.ownedByThisUser(root)) {
			throw new IOException(root + " belongs to someone else");
		}
		Path partial = Files.createTempDirectory(root, directory.getFileName() + PARTIAL);
		try (JarFile executable = new JarFile(jar.toFile())) {
			for (String library : libraries) {
				copy(executable, library, partial.resolve(fileName(library)));
			}
			Enumeration<JarEntry> entries = executable.entries();
			while (entries.hasMoreElements()) {
				JarEntry entry = entries.nextElement();
				if (entry.getName().startsWith(CLASSES) && !entry.isDirectory()) {
					copy(executable, entry.getName(),
							partial.resolve("classes").resolve(entry.getName().substring(CLASSES.length())));
				}
			}
			if (executable.getEntry(BUILD_INFO) != null) {
				copy(executable, BUILD_INFO, partial.resolve("classes").resolve(BUILD_INFO));
			}
			List<String> classPath = new ArrayList<>();
			libraries.forEach((library) -> classPath.add(fileName(library)));
			classPath.add("classes/");
			Files.write(partial.resolve(ClientCacheDirectory.CLASS_PATH), classPath, StandardCharsets.UTF_8);
			Files.move(partial, directory, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (FileAlreadyExistsException | DirectoryNotEmptyException ex) {
			// Another run made it first: use that one.
		}
		finally {
			delete(partial);
		}
		prune(root);
	}

	private static void copy(JarFile jar, String name, Path target) throws IOException {
		JarEntry entry = jar.getJarEntry(name);
		if (entry == null) {
			throw new IOException("no " + name + " in " + jar.getName());
		}
		Files.createDirectories(target.getParent());
		try (InputStream in = jar.getInputStream(entry)) {
			Files.copy(in, target);
		}
	}

	/** All but the {@link #KEPT} newest builds' directories, and those a run that died left half made. */
	private static void prune(Path root) throws IOException {
		List<Path> complete = new ArrayList<>();
		List<Path> partial = new ArrayList<>();
		try (DirectoryStream<Path> children = Files.newDirectoryStream(root, ClientCacheDirectory.PREFIX + "*")) {
			for (Path child : children) {
				(child.getFileName().toString().contains(PARTIAL) ? partial : complete).add(child);
			}
		}
		complete.sort(Comparator.comparing(ClientCache::modified).reversed());
		complete.stream().skip(KEPT).forEach(ClientCache::delete);
		long anHourAgo = System.currentTimeMillis() - 3_600_000;
		partial.stream().filter((path) -> modified(path).toMillis() < anHourAgo).forEach(ClientCache::delete);
	}

	private static FileTime modified(Path path) {
		try {
			return Files.getLastModifiedTime(path);
		}
		catch (IOException ex) {
			return FileTime.fromMillis(0);
		}
	}

	private static void delete(Path path) {
		if (!Files.exists(path)) {
			return;
		}
		try (var walk = Files.walk(path)) {
			walk.sorted(Comparator.reverseOrder()).forEach((each) -> each.toFile().delete());
		}
		catch (IOException ex) {
			// Left for the next prune.
		}
	}

	private static void restrictToOwner(Path directory) {
		try {
			Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
		}
		catch (UnsupportedOperationException | IOException ex) {
			// Not a POSIX file system: its own defaults apply.
		}
	}

	/** The executable jar's path in a {@code jar:nested:/PATH/!BOOT-INF/...!/} URL, or null. */
	static Path executableJar(URL nested) {
		String url = nested.toString();
		int end = url.indexOf("/!BOOT-INF/");
		if (!url.startsWith(NESTED) || end < 0) {
			return null;
		}
		return Path.of(URLDecoder.decode(url.substring(NESTED.length(), end), StandardCharsets.UTF_8));
	}

	/** {@code BOOT-INF/lib/spring-core-7.0.8.jar} from its {@code jar:nested:} URL. */
	static String entryName(URL nested) throws MalformedURLException {
		String url = nested.toString();
		int start = url.indexOf("/!BOOT-INF/");
		if (start < 0 || !url.endsWith("!/")) {
			throw new MalformedURLException("not a nested jar: " + url);
		}
		return url.substring(start + 2, url.length() - 2);
	}

	private static String fileName(String entryName) {
		return entryName.substring(entryName.lastIndexOf('/') + 1);
	}

}
