package dev.talktoserver.client;

import java.net.MalformedURLException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's own class path, taken from the class path of Spring Boot's launcher: the client's jars
 * in the order given, then the application's classes; none when one is missing, or when the client
 * runs anywhere else. (PackagedClientIT runs it from the jar.)
 */
class ClientLauncherTests {

	private static final String JAR = "jar:nested:/opt/talk-to-server.jar/!BOOT-INF/";

	private static final List<String> LAUNCHER_CLASS_PATH = List.of("classes/!/", "lib/spring-core-7.0.8.jar!/",
			"lib/jspecify-1.0.0.jar!/", "lib/commons-logging-1.3.6.jar!/", "lib/spring-websocket-7.0.8.jar!/",
			"lib/spring-context-7.0.8.jar!/", "lib/spring-web-7.0.8.jar!/", "lib/spring-webmvc-7.0.8.jar!/",
			"lib/tomcat-embed-websocket-11.0.27.jar!/", "lib/tomcat-embed-core-11.0.27.jar!/",
			"lib/logback-classic-1.5.34.jar!/");

	@Test
	void theClientsJarsInTheirOrderThenTheApplicationsClasses() {
		URL[] classPath = ClientLauncher.classPath(urls(LAUNCHER_CLASS_PATH));
		assertThat(Stream.of(classPath).map(URL::toString)).containsExactly(JAR + "lib/tomcat-embed-websocket-11.0.27.jar!/",
				JAR + "lib/spring-core-7.0.8.jar!/", JAR + "lib/tomcat-embed-core-11.0.27.jar!/",
				JAR + "lib/spring-websocket-7.0.8.jar!/", JAR + "lib/commons-logging-1.3.6.jar!/",
				JAR + "lib/spring-web-7.0.8.jar!/", JAR + "classes/!/");
	}

	@Test
	void noneWhenAJarOfTheClientIsMissing() {
		List<String> withoutSpringWeb = new ArrayList<>(LAUNCHER_CLASS_PATH);
		withoutSpringWeb.remove("lib/spring-web-7.0.8.jar!/");
		assertThat(ClientLauncher.classPath(urls(withoutSpringWeb))).isNull();
	}

	@Test
	void noneOutsideTheExecutableJar() throws MalformedURLException {
		URL[] buildClassPath = { new URL("file:/work/target/classes/"),
				new URL("file:/root/.m2/repository/org/springframework/spring-core/7.0.8/spring-core-7.0.8.jar") };
		assertThat(ClientLauncher.classPath(buildClassPath)).isNull();
	}

	private static URL[] urls(List<String> entries) {
		return entries.stream().map((entry) -> NestedUrls.of(JAR + entry)).toArray(URL[]::new);
	}

}
