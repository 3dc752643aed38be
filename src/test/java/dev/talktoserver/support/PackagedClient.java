package dev.talktoserver.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One run of the client as people run it, {@code java -jar talk-to-server.jar client ARGS}, from the
 * packaged jar (system property {@code talk.jar}), with no input; its exit status and all it printed.
 * Its cache ({@code XDG_CACHE_HOME}) is {@link #CACHE}, not the home directory's.
 */
public record PackagedClient(int exitCode, String out, String err) {

	public static final Path CACHE = Path.of("target", "packaged-client-cache").toAbsolutePath();

	private static final long TIMEOUT_SECONDS = 30;

	public static PackagedClient run(String... arguments) throws IOException, InterruptedException {
		return run(List.of(), arguments);
	}

	/** Like {@link #run(String...)}, with options for the JVM, such as {@code -Xlog:class+load}. */
	public static PackagedClient run(List<String> jvmOptions, String... arguments)
			throws IOException, InterruptedException {
		Path jar = Path.of(System.getProperty("talk.jar", "target/talk-to-server.jar")).toAbsolutePath();
		assertThat(jar).as("the packaged jar (system property talk.jar)").isRegularFile();
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.addAll(List.of("-jar", jar.toString(), "client"));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		builder.environment().put("XDG_CACHE_HOME", CACHE.toString());
		Process process = builder.start();
		// The output is a few lines, well within the pipes' buffers: read once the client has exited.
		assertThat(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("client exited within %d s", TIMEOUT_SECONDS)
			.isTrue();
		return new PackagedClient(process.exitValue(),
				new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
				new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
	}

}
