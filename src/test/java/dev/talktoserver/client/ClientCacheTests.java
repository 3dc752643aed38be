package dev.talktoserver.client;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import dev.talktoserver.launcher.ClientCacheDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's jars and classes copied out of an executable jar (one made here, in Spring Boot's
 * layout) into the cache: once per build of the jar, whole or not at all, the newest three kept.
 */
class ClientCacheTests {

	@TempDir
	Path directory;

	@Test
	void copiesTheJarsAndClassesOnceAndGivesTheirFiles() throws IOException {
		Path jar = executableJar("talk-to-server.jar", "one");
		Path cache = this.directory.resolve("cache");
		URL[] classPath = ClientCache.classPath(nestedUrls(jar), cache);
		assertThat(classPath).hasSize(3);
		Path build = Path.of(classPath[0].getPath()).getParent();
		assertThat(build.getParent()).isEqualTo(cache);
		assertThat(Path.of(classPath[0].getPath())).hasFileName("spring-core-7.0.8.jar").hasContent("core one");
		assertThat(Path.of(classPath[1].getPath())).hasFileName("tomcat-embed-core-11.0.27.jar");
		assertThat(Path.of(classPath[2].getPath())).isDirectory().hasFileName("classes");
		assertThat(build.resolve("classes/dev/talktoserver/client/TalkClient.class")).hasContent("class one");
		assertThat(build.resolve("classes/META-INF/build-info.properties")).hasContent("build.version=1.0");
		assertThat(build.resolve("class-path")).as("what ClientFirstLauncher starts from")
			.hasContent("spring-core-7.0.8.jar\ntomcat-embed-core-11.0.27.jar\nclasses/");

		FileTime made = Files.getLastModifiedTime(build.resolve("spring-core-7.0.8.jar"));
		URL[] again = ClientCache.classPath(nestedUrls(jar), cache);
		assertThat(again).containsExactly(classPath);
		assertThat(Files.getLastModifiedTime(build.resolve("spring-core-7.0.8.jar"))).isEqualTo(made);
	}

	@Test
	void aNewBuildOfTheJarGetsADirectoryOfItsOwnAndOnlyTheNewestThreeAreKept() throws IOException {
		Path cache = this.directory.resolve("cache");
		Path jar = null;
		for (int build = 1; build <= 5; build++) {
			jar = executableJar("talk-to-server.jar", "build " + build);
			Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_000_000L + build * 1000));
			assertThat(ClientCache.classPath(nestedUrls(jar), cache)).isNotNull();
		}
		try (Stream<Path> builds = Files.list(cache)) {
			assertThat(builds).hasSize(3);
		}
		URL[] newest = ClientCache.classPath(nestedUrls(jar), cache);
		assertThat(Path.of(newest[0].getPath())).hasContent("core build 5");
	}

	@Test
	void nothingIsCachedWhereTheCacheCannotBeMade() throws IOException {
		Path jar = executableJar("talk-to-server.jar", "one");
		Path file = Files.writeString(this.directory.resolve("a-file"), "not a directory");
		assertThat(ClientCache.classPath(nestedUrls(jar), file.resolve("cache"))).isNull();
		assertThat(ClientCache.classPath(nestedUrls(jar), null)).isNull();
	}

	@Test
	void theCacheIsUnderXdgCacheHomeElseTheHomeDirectory() {
		assertThat(ClientCacheDirectory.root(Map.of("XDG_CACHE_HOME", "/var/cache/me")))
			.isEqualTo(Path.of("/var/cache/me/talk-to-server"));
		assertThat(ClientCacheDirectory.root(Map.of()))
			.isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "talk-to-server"));
	}

	/** An executable jar in Spring Boot's layout: two nested jars, a class, the build info. */
	private Path executableJar(String name, String version) throws IOException {
		Path jar = this.directory.resolve(name);
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
			write(out, "BOOT-INF/lib/spring-core-7.0.8.jar", "core " + version);
			write(out, "BOOT-INF/lib/tomcat-embed-core-11.0.27.jar", "tomcat " + version);
			write(out, "BOOT-INF/classes/dev/talktoserver/client/TalkClient.class", "class " + version);
			write(out, "META-INF/build-info.properties", "build.version=1.0");
		}
		return jar;
	}

	private static void write(JarOutputStream out, String name, String content) throws IOException {
		out.putNextEntry(new JarEntry(name));
		out.write(content.getBytes(StandardCharsets.UTF_8));
		out.closeEntry();
	}

	/** Spring Boot's URLs for the two nested jars and the classes, as its launcher's class path has them. */
	private static URL[] nestedUrls(Path jar) {
		return List.of("lib/spring-core-7.0.8.jar!/", "lib/tomcat-embed-core-11.0.27.jar!/", "classes/!/")
			.stream()
			.map((entry) -> NestedUrls.of("jar:nested:" + jar + "/!BOOT-INF/" + entry))
			.toArray(URL[]::new);
	}

}
